import { Pool } from 'pg';
import {
  freshDatabase,
  indexPlanOf,
  indexPredicates,
  statementOf,
  type TestDatabase,
} from '@paylend/testing';
import { walletRepository, type Sql } from './wallet.repository';

/*
 * The wallet's expiry sweep polls every second: it must read indexes of the holds and withdrawals that can
 * still expire, not of every one ever made. Each poll's own statement is captured from its repository call
 * and planned here.
 */

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await freshDatabase('wallet_work_queue_indexes', [
    'libs/messaging/migrations',
    'libs/ledger/prisma/migrations',
    'libs/wallet/data-access/prisma/migrations',
  ]);
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const now = new Date('2026-11-28T09:00:00.000Z');

it.each([
  ['hold expiry', (sql: Sql) => walletRepository.dueHolds(sql, now, 500), 'holds_open_expires_at_idx'],
  [
    'withdrawal timeout',
    (sql: Sql) => walletRepository.dueWithdrawals(sql, now, 500),
    'withdrawals_pending_expires_at_idx',
  ],
])('%s reads the index of what can still expire, in its order (no sort)', async (_sweep, call, index) => {
  const plan = await indexPlanOf(pool, await statementOf(call));
  expect(plan).toContain(index);
  expect(plan).not.toContain('Sort');
});

it('those indexes are partial: they hold only what can still expire', async () => {
  expect(
    await indexPredicates(pool, ['holds_open_expires_at_idx', 'withdrawals_pending_expires_at_idx']),
  ).toEqual({
    holds_open_expires_at_idx: "((status = 'open'::text) AND (expires_at IS NOT NULL))",
    withdrawals_pending_expires_at_idx: "(status = 'pending'::text)",
  });
});
