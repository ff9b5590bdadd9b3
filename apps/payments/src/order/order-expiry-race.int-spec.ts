import { Pool } from 'pg';
import { inTransaction } from '@paylend/platform';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import { TestClock } from '../common/clock';
import { merchantRepository } from '../merchant/merchant.repository';
import { OPERATOR } from '../testing/payments-stack';
import type { WalletPort } from '../wallet/wallet-port';
import { orderRepository } from './order.repository';
import { OrderService } from './order.service';

/* A status read that expires a due order races the expiry sweep: whichever commits first wins, the other agrees. */

let db: TestDatabase;
let pool: Pool;
const clock = new TestClock('2026-11-28T09:00:00.000Z');
// Reading and expiring an order never calls the wallet.
const orders = new OrderService({} as WalletPort, clock);

beforeAll(async () => {
  db = await freshDatabase('order_expiry_race', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  pool = new Pool({ connectionString: db.url, max: 4 });
  await merchantRepository.insert(pool, {
    id: 'm-race',
    ownerUserId: 'owner-race',
    name: 'Race Cafe',
    city: 'Shanghai',
    country: 'CN',
    mcc: '5814',
    currency: 'CNY',
    settlementAccount: 'CN-RACE-1',
    feeRate: '0.006',
    walletId: 'w-race',
    createdAt: clock.now(),
  });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const inTx = <T>(work: (tx: import('pg').PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, work);

it('a read that finds a due order already expired by the sweep (after waiting for its lock) reports EXPIRED', async () => {
  await inTx((tx) =>
    orders.create(tx, {
      actor: OPERATOR,
      merchantId: 'm-race',
      orderId: 'o-race',
      amount: { amount: '12.00', currency: 'CNY' },
      expiresInSeconds: 60,
    }),
  );
  clock.advance(120_000);
  // The sweep has expired the order but not committed yet: it holds the row lock.
  const sweep = await pool.connect();
  await sweep.query('BEGIN');
  expect(await orderRepository.expireDue(sweep, clock.now(), 10)).toHaveLength(1);
  // The read sees CREATED in its snapshot, finds it due, and waits for the lock.
  const read = inTx((tx) => orders.get(tx, OPERATOR, 'o-race'));
  await new Promise((r) => setTimeout(r, 300));
  await sweep.query('COMMIT');
  sweep.release();
  await expect(read).resolves.toMatchObject({ orderId: 'o-race', status: 'EXPIRED' });
  const { rows } = await pool.query(
    `SELECT from_status, to_status FROM order_history WHERE order_id = 'o-race' ORDER BY at, from_status NULLS FIRST`,
  );
  // Expired once, by the sweep.
  expect(rows).toEqual([
    { from_status: null, to_status: 'CREATED' },
    { from_status: 'CREATED', to_status: 'EXPIRED' },
  ]);
});
