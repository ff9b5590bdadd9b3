import { Pool } from 'pg';
import { LedgerTestDb, ledgerTestDb } from '../testing/ledger-test-db';
import { TestClock } from '../clock';
import { ledgerContract } from '../contract/ledger-contract';
import { checkInvariants } from './invariants';
import { PgLedger } from './pg-ledger';

let t: LedgerTestDb;
let pool: Pool;
let ledger: PgLedger;
const clock = new TestClock();

beforeAll(async () => {
  t = await ledgerTestDb(4);
  pool = t.pool;
  ledger = new PgLedger(pool, { clock });
});

afterEach(async () => {
  expect(await checkInvariants(pool)).toEqual([]);
});

afterAll(async () => {
  await t.close();
});

ledgerContract('PgLedger', () => ({ ledger, clock }));

describe('PgLedger specifics', () => {
  it('posts a large batch in one go: every transfer applied in input order, statements in that order', async () => {
    // 8,000 transfers take the large-batch path (state-independent columns built before the locks, more
    // work_mem for the write); entries go in by account, so the ids must still follow each account's order.
    const n = 40;
    await ledger.createAccounts([
      // An owner reference with the lock result's separators in it (it travels hex-encoded).
      { id: 'lb-bank', currency: 'JPY', normalSide: 'debit', ownerRef: "treasury, desk; 'ü' \\" },
      ...Array.from({ length: n }, (_, i) => ({
        id: `lb-w${i}`,
        currency: 'JPY',
        normalSide: 'credit' as const,
        flags: { debitsMustNotExceedCredits: true },
      })),
    ]);
    const seed = await ledger.post(
      Array.from({ length: n }, (_, i) => ({
        id: `lb-seed${i}`,
        debitAccountId: 'lb-bank',
        creditAccountId: `lb-w${i}`,
        amount: '100000',
        currency: 'JPY',
        code: 'seed',
      })),
    );
    expect(seed.every((r) => r.ok)).toBe(true);
    const batch = Array.from({ length: 8000 }, (_, k) => ({
      id: `lb-${k}`,
      debitAccountId: `lb-w${k % n}`,
      creditAccountId: `lb-w${(k * 7 + 3) % n === k % n ? (k + 1) % n : (k * 7 + 3) % n}`,
      amount: String(1 + (k % 5)),
      currency: 'JPY',
      code: k % 2 === 0 ? 'p2p' : 42,
    }));
    const rs = await ledger.post(batch);
    expect(rs.every((r) => r.ok && !r.replayed)).toBe(true);
    expect(rs[1]).toMatchObject({ ok: true, transfer: { id: 'lb-1', amount: '2', code: 42 } });
    expect(Object.keys((rs[0] as { transfer: object }).transfer).sort()).toEqual(
      Object.keys((await ledger.getTransfer('lb-0'))!).sort(),
    );
    const lines = [];
    for (let cursor: string | null = null; ;) {
      const page = await ledger.statement('lb-w3', { cursor, limit: 1000 });
      lines.push(...page.lines);
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    const ours = batch.filter((t) => t.debitAccountId === 'lb-w3' || t.creditAccountId === 'lb-w3');
    expect(lines.map((l) => l.transferId)).toEqual(['lb-seed3', ...ours.map((t) => t.id)]);
    expect(lines[lines.length - 1]!.balanceAfter).toEqual((await ledger.balances(['lb-w3']))[0]);
    // A replay of the whole batch returns the first results, and changes nothing.
    const again = await ledger.post(batch);
    expect(again.every((r) => r.ok && r.replayed)).toBe(true);
  });

  it('records each refusal in ledger.rejections and nothing else', async () => {
    await ledger.createAccounts([
      { id: 'rj-a', currency: 'USD', normalSide: 'credit', flags: { debitsMustNotExceedCredits: true } },
      { id: 'rj-b', currency: 'USD', normalSide: 'credit' },
    ]);
    const before = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger.entries');
    const [r] = await ledger.post([
      {
        id: 'rj-t',
        debitAccountId: 'rj-a',
        creditAccountId: 'rj-b',
        amount: '1',
        currency: 'USD',
        code: 'x',
      },
    ]);
    expect(r).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS' });
    const rej = await pool.query(
      'SELECT transfer_id, code, payload FROM ledger.rejections WHERE transfer_id = $1',
      ['rj-t'],
    );
    expect(rej.rows).toEqual([
      { transfer_id: 'rj-t', code: 'INSUFFICIENT_FUNDS', payload: expect.objectContaining({ amount: '1' }) },
    ]);
    const after = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger.entries');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('posts atomically with the caller’s own SQL in one transaction (postInTransaction)', async () => {
    await ledger.createAccounts([
      { id: 'tx-bank', currency: 'EUR', normalSide: 'debit' },
      { id: 'tx-w', currency: 'EUR', normalSide: 'credit' },
    ]);
    await pool.query(
      'CREATE TABLE IF NOT EXISTS public.kyc_usage (wallet text PRIMARY KEY, used bigint NOT NULL CHECK (used <= 1000))',
    );
    await pool.query("INSERT INTO public.kyc_usage VALUES ('tx-w', 900)");
    const client = await pool.connect();
    try {
      await expect(
        ledger.postInTransaction(client, [
          {
            id: 'tx-0',
            debitAccountId: 'tx-bank',
            creditAccountId: 'tx-w',
            amount: '1',
            currency: 'EUR',
            code: 'x',
          },
        ]),
      ).rejects.toThrow(/needs an open transaction/);
      // Over the caller's limit: the caller's CHECK fails after the posting; the rollback takes both away.
      await client.query('BEGIN');
      const [r] = await ledger.postInTransaction(client, [
        {
          id: 'tx-1',
          debitAccountId: 'tx-bank',
          creditAccountId: 'tx-w',
          amount: '2.00',
          currency: 'EUR',
          code: 'topup',
        },
      ]);
      expect(r!.ok).toBe(true);
      await expect(
        client.query("UPDATE public.kyc_usage SET used = used + 200 WHERE wallet = 'tx-w'"),
      ).rejects.toThrow(/kyc_usage_used_check/);
      await client.query('ROLLBACK');
      expect(await ledger.getTransfer('tx-1')).toBeNull();
      await client.query('BEGIN');
      await ledger.postInTransaction(client, [
        {
          id: 'tx-1',
          debitAccountId: 'tx-bank',
          creditAccountId: 'tx-w',
          amount: '1.00',
          currency: 'EUR',
          code: 'topup',
        },
      ]);
      await client.query("UPDATE public.kyc_usage SET used = used + 100 WHERE wallet = 'tx-w'");
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await ledger.balances(['tx-w']))[0]!.posted).toBe('1.00');
  });

  it('round-trips awkward ids and metadata through the array literals', async () => {
    await ledger.createAccounts([
      { id: 'NULL', currency: 'KWD', normalSide: 'debit' },
      { id: 'null', currency: 'KWD', normalSide: 'credit' },
    ]);
    const metadata = {
      'q"uote': 'back\\slash \\" {a,b} NULL',
      emoji: '支付 ✓',
      nested: { n: [1, 'x', null, true] },
    };
    const [r] = await ledger.post([
      {
        id: 'NULL',
        debitAccountId: 'NULL',
        creditAccountId: 'null',
        amount: '1.234',
        currency: 'KWD',
        code: 'a.b:c-d_e',
        metadata,
      },
    ]);
    expect(r).toMatchObject({ ok: true, transfer: { id: 'NULL', amount: '1.234', metadata } });
    expect(await ledger.getTransfer('NULL')).toMatchObject({
      debitAccountId: 'NULL',
      creditAccountId: 'null',
      metadata,
    });
    expect((await ledger.balances(['null']))[0]!.posted).toBe('1.234');
    const [again] = await ledger.post([
      {
        id: 'NULL',
        debitAccountId: 'NULL',
        creditAccountId: 'null',
        amount: '1.2340',
        currency: 'KWD',
        code: 'a.b:c-d_e',
        metadata,
      },
    ]);
    expect(again).toMatchObject({ ok: true, replayed: true });
  });

  it('enforces the invariants in the database itself', async () => {
    await ledger.createAccounts([
      { id: 'bs-w', currency: 'GBP', normalSide: 'credit', flags: { debitsMustNotExceedCredits: true } },
      { id: 'bs-b', currency: 'GBP', normalSide: 'debit' },
    ]);
    await ledger.post([
      {
        id: 'bs-1',
        debitAccountId: 'bs-b',
        creditAccountId: 'bs-w',
        amount: '5',
        currency: 'GBP',
        code: 'c',
      },
    ]);
    await expect(
      pool.query("UPDATE ledger.accounts SET debits_posted = 1000 WHERE id = 'bs-w'"),
    ).rejects.toThrow(/accounts_debits_within_limit/);
    await expect(pool.query("DELETE FROM ledger.entries WHERE transfer_id = 'bs-1'")).rejects.toThrow(
      /append-only/,
    );
    await expect(pool.query("UPDATE ledger.transfers SET amount = 1 WHERE id = 'bs-1'")).rejects.toThrow(
      /append-only/,
    );
    await expect(
      pool.query(`INSERT INTO ledger.entries (transfer_id, account_id, side, posted_amount, pending_delta, debits_posted, credits_posted,
        debits_pending, credits_pending, created_at) VALUES ('bs-x', 'bs-b', 'D', 5, 0, 5, 0, 0, 0, now()), ('bs-x', 'bs-w', 'C', 4, 0, 0, 4, 0, 0, now())`),
    ).rejects.toThrow(/do not balance/);
    await expect(
      pool.query(`INSERT INTO ledger.transfers (id, type, debit_account_id, credit_account_id, amount, currency, code, payload_hash, created_at)
        VALUES ('bs-z', 'single', 'bs-b', 'bs-w', 0, 'GBP', 'c', 'h', now())`),
    ).rejects.toThrow(/amount_check/);
    await expect(
      pool.query(`INSERT INTO ledger.transfers (id, type, debit_account_id, credit_account_id, amount, currency, code, pending_id, payload_hash, created_at)
        VALUES ('bs-y', 'post_pending', 'bs-b', 'bs-w', 1, 'GBP', 'c', 'p1', 'h', now()), ('bs-y2', 'void_pending', 'bs-b', 'bs-w', 1, 'GBP', 'c', 'p1', 'h', now())`),
    ).rejects.toThrow(/transfers_pending_id_key/);
  });
});
