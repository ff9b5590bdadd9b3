import { Pool } from 'pg';
import { inTransaction } from '@paylend/platform';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
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

/** The statement a repository call sends, captured instead of run (the call sees no rows). */
async function statementOf(
  call: (sql: Sql) => Promise<unknown>,
): Promise<{ text: string; values: unknown[] }> {
  const sent: Array<{ text: string; values: unknown[] }> = [];
  const capture: Sql = {
    query: async (text: string, values: unknown[] = []) => {
      sent.push({ text, values });
      return { rows: [], rowCount: 0, command: '', oid: 0, fields: [] };
    },
  };
  await call(capture);
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

/** Its plan, with sequential scans priced out: the tables are empty here, and the question is which index. */
async function planOf(statement: { text: string; values: unknown[] }): Promise<string> {
  return inTransaction(pool, async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.text}`, statement.values);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

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
  expect(await planOf(await statementOf(call))).toContain(index);
});

it('those indexes are partial: they hold only what can still be due', async () => {
  const { rows } = await pool.query<{ name: string; predicate: string }>(
    `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relname IN ('orders_created_expires_at_idx', 'orders_pending_updated_at_idx', 'webhook_deliveries_due_idx')
     ORDER BY 1`,
  );
  expect(rows).toEqual([
    { name: 'orders_created_expires_at_idx', predicate: "(status = 'CREATED'::text)" },
    { name: 'orders_pending_updated_at_idx', predicate: "(status = 'PENDING'::text)" },
    { name: 'webhook_deliveries_due_idx', predicate: '((delivered_at IS NULL) AND (failed_at IS NULL))' },
  ]);
});
