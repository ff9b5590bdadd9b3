import { Client } from 'pg';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import { readBorrowerFeatures, recordInflow, recordRepayment, recordWalletOpened } from './feature-store';

let db: TestDatabase;
let sql: Client;

beforeAll(async () => {
  db = await freshDatabase('scoring_features', [
    'libs/messaging/migrations',
    'libs/scoring/data-access/prisma/migrations',
  ]);
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await db.drop();
});

const repayment = (id: string, borrowerId: string, onTime: boolean, daysLate = 0) => ({
  repaymentId: id,
  borrowerId,
  loanId: 'loan-1',
  dueDate: '2026-10-01',
  paidAt: '2026-10-01T10:00:00.000Z',
  onTime,
  daysLate,
  amount: '120.50',
  currency: 'CNY',
});

describe('borrower feature store (real PostgreSQL)', () => {
  it('is empty for an unknown borrower', async () => {
    expect(await readBorrowerFeatures(sql, 'nobody', 'CNY')).toEqual({
      onTimeRepayments: 0,
      lateRepayments: 0,
      maxDaysLate: 0,
      walletOpenedAt: null,
      inflows: '0',
    });
  });

  it('counts each repayment once, by repayment id, and keeps the worst lateness', async () => {
    expect(await recordRepayment(sql, repayment('r1', 'b1', true))).toBe(true);
    expect(await recordRepayment(sql, repayment('r2', 'b1', false, 9))).toBe(true);
    expect(await recordRepayment(sql, repayment('r2', 'b1', false, 9))).toBe(false);
    expect(await recordRepayment(sql, repayment('r3', 'b1', false, 3))).toBe(true);
    expect(await readBorrowerFeatures(sql, 'b1', 'CNY')).toMatchObject({
      onTimeRepayments: 1,
      lateRepayments: 2,
      maxDaysLate: 9,
    });
  });

  it('rolls back with the transaction it was given', async () => {
    await sql.query('BEGIN');
    await recordRepayment(sql, repayment('r-rolled-back', 'b2', false, 1));
    await sql.query('ROLLBACK');
    expect((await readBorrowerFeatures(sql, 'b2', 'CNY')).lateRepayments).toBe(0);
    expect(await recordRepayment(sql, repayment('r-rolled-back', 'b2', false, 1))).toBe(true);
  });

  it("sums inflows of the owner's wallets in one currency, whichever event came first, each transfer once", async () => {
    // The transfer to w1 arrives before w1's opening is known.
    expect(
      await recordInflow(sql, { transferId: 't1', walletId: 'w1', amount: '100.10', currency: 'CNY' }),
    ).toBe(true);
    expect(
      await recordInflow(sql, { transferId: 't1', walletId: 'w1', amount: '100.10', currency: 'CNY' }),
    ).toBe(false);
    await recordWalletOpened(sql, { walletId: 'w1', ownerId: 'b3', openedAt: '2025-01-01T00:00:00.000Z' });
    await recordWalletOpened(sql, { walletId: 'w2', ownerId: 'b3', openedAt: '2024-06-01T00:00:00.000Z' });
    await recordWalletOpened(sql, {
      walletId: 'w-other',
      ownerId: 'b4',
      openedAt: '2020-01-01T00:00:00.000Z',
    });
    await recordInflow(sql, { transferId: 't2', walletId: 'w2', amount: '0.90', currency: 'CNY' });
    await recordInflow(sql, { transferId: 't3', walletId: 'w2', amount: '50', currency: 'USD' });
    await recordInflow(sql, { transferId: 't4', walletId: 'w-other', amount: '999', currency: 'CNY' });
    const cny = await readBorrowerFeatures(sql, 'b3', 'CNY');
    expect(cny.inflows).toMatch(/^101\.0+$/);
    expect(cny.walletOpenedAt?.toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect((await readBorrowerFeatures(sql, 'b3', 'USD')).inflows).toMatch(/^50\.0+$/);
    expect((await readBorrowerFeatures(sql, 'b3', 'JPY')).inflows).toBe('0');
  });
});
