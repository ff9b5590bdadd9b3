import { Pool } from 'pg';
import {
  freshDatabase,
  indexPlanOf,
  indexPredicates,
  statementOf,
  type TestDatabase,
} from '@paylend/testing';
import type { Sql } from './common/sql';
import { orderRepository } from './order/order.repository';
import { webhookRepository } from './webhook/webhook.repository';

/*
 * The sweeps that poll this database (order expiry, pending recovery, webhook dispatch) must read indexes of
 * the rows still waiting, not of every order or delivery ever made: otherwise each poll grows with history.
 * Each sweep's own statement is captured from its repository call and planned here.
 */

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await freshDatabase('work_queue_indexes', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const now = new Date('2026-11-28T09:00:00.000Z');

it.each([
  ['order expiry', (sql: Sql) => orderRepository.expireDue(sql, now, 10), 'orders_created_expires_at_idx'],
  [
    'pending recovery',
    (sql: Sql) => orderRepository.pendingSince(sql, now, 10),
    'orders_pending_updated_at_idx',
  ],
  [
    'webhook dispatch',
    (sql: Sql) => webhookRepository.claimDue(sql, 10, 30_000),
    'webhook_deliveries_due_idx',
  ],
])('%s reads the index of waiting rows only', async (_sweep, call, index) => {
  expect(await indexPlanOf(pool, await statementOf(call))).toContain(index);
});

it('those indexes are partial: they hold only what can still be due', async () => {
  expect(
    await indexPredicates(pool, [
      'orders_created_expires_at_idx',
      'orders_pending_updated_at_idx',
      'webhook_deliveries_due_idx',
    ]),
  ).toEqual({
    orders_created_expires_at_idx: "(status = 'CREATED'::text)",
    orders_pending_updated_at_idx: "(status = 'PENDING'::text)",
    webhook_deliveries_due_idx: '((delivered_at IS NULL) AND (failed_at IS NULL))',
  });
});
