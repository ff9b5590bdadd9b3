import { Pool } from 'pg';
import { LedgerTestDb, ledgerTestDb } from '../testing/ledger-test-db';
import { TestClock } from '../clock';
import { TransferInput } from '../transfer';
import { GroupCommitter } from './group-commit';
import { checkInvariants } from './invariants';
import { PgLedger } from './pg-ledger';

let t: LedgerTestDb;
let pool: Pool;
let ledger: PgLedger;

beforeAll(async () => {
  t = await ledgerTestDb(16);
  pool = t.pool;
  ledger = new PgLedger(pool, { clock: new TestClock() });
});

afterAll(async () => {
  await t.close();
});

async function sumPosted(ids: string[]): Promise<bigint> {
  const { rows } = await pool.query<{ s: string }>(
    `SELECT coalesce(sum(CASE normal_side WHEN 'credit' THEN credits_posted - debits_posted ELSE debits_posted - credits_posted END), 0)::text AS s
     FROM ledger.accounts WHERE id = ANY($1)`,
    [ids],
  );
  return BigInt(rows[0]!.s);
}

describe('concurrent callers on the same accounts', () => {
  it('never overdraws, loses or deadlocks when many batches cross the same accounts in both directions', async () => {
    const wallets = Array.from({ length: 6 }, (_, i) => `cc-w${i}`);
    await ledger.createAccounts([
      { id: 'cc-bank', currency: 'CNY', normalSide: 'debit' },
      ...wallets.map((id) => ({
        id,
        currency: 'CNY',
        normalSide: 'credit' as const,
        flags: { debitsMustNotExceedCredits: true },
      })),
    ]);
    await ledger.post(
      wallets.map((w) => ({
        id: `cc-seed-${w}`,
        debitAccountId: 'cc-bank',
        creditAccountId: w,
        amount: '10.00',
        currency: 'CNY',
        code: 'seed',
      })),
    );
    const deadlocks: unknown[] = [];
    const noRetry = new PgLedger(pool, { maxAttempts: 1 });
    // 24 callers, each posting 20 batches of random transfers among the wallets (both directions, so a naive
    // lock order would deadlock); every wallet starts with 10.00, which is far less than what is attempted.
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, c) => {
        let ok = 0;
        for (let b = 0; b < 20; b++) {
          const batch: TransferInput[] = Array.from({ length: 8 }, (_, k) => {
            const from = (c + b + k) % wallets.length;
            const to = (from + 1 + ((c * 7 + k) % (wallets.length - 1))) % wallets.length;
            return {
              id: `cc-${c}-${b}-${k}`,
              debitAccountId: wallets[from]!,
              creditAccountId: wallets[to]!,
              amount: `${1 + ((c + k) % 4)}.00`,
              currency: 'CNY',
              code: 'p2p',
            };
          });
          try {
            ok += (await noRetry.post(batch)).filter((r) => r.ok).length;
          } catch (err) {
            deadlocks.push(err);
          }
        }
        return ok;
      }),
    );
    expect(deadlocks).toEqual([]);
    expect(results.reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    const balances = await ledger.balances(wallets);
    for (const b of balances) expect(b.posted.startsWith('-')).toBe(false);
    expect(await sumPosted(wallets)).toBe(6000n);
    expect(await checkInvariants(pool)).toEqual([]);
  });

  it('lets only one of many concurrent spenders of the same funds win, and applies a duplicate id once', async () => {
    await ledger.createAccounts([
      { id: 'race-bank', currency: 'JPY', normalSide: 'debit' },
      { id: 'race-w', currency: 'JPY', normalSide: 'credit', flags: { debitsMustNotExceedCredits: true } },
      { id: 'race-shop', currency: 'JPY', normalSide: 'credit' },
    ]);
    await ledger.post([
      {
        id: 'race-seed',
        debitAccountId: 'race-bank',
        creditAccountId: 'race-w',
        amount: '1000',
        currency: 'JPY',
        code: 'seed',
      },
    ]);
    const spend = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ledger.post([
          {
            id: `race-${i}`,
            debitAccountId: 'race-w',
            creditAccountId: 'race-shop',
            amount: '700',
            currency: 'JPY',
            code: 'pay',
          },
        ]),
      ),
    );
    expect(spend.flat().filter((r) => r.ok)).toHaveLength(1);
    const dup = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger.post([
          {
            id: 'race-dup',
            debitAccountId: 'race-w',
            creditAccountId: 'race-shop',
            amount: '1',
            currency: 'JPY',
            code: 'pay',
          },
        ]),
      ),
    );
    expect(dup.flat().filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(dup.flat().every((r) => r.ok)).toBe(true);
    expect((await ledger.balances(['race-w']))[0]!.posted).toBe('299');
    // The same new id on disjoint accounts: no shared lock orders them, the unique key does (one wins, the
    // retried losers see it and get ID_CONFLICT).
    await ledger.createAccounts(
      Array.from({ length: 8 }, (_, i) => ({
        id: `race-s${i}`,
        currency: 'JPY',
        normalSide: 'credit' as const,
      })),
    );
    const clash = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ledger.post([
          {
            id: 'race-clash',
            debitAccountId: 'race-bank',
            creditAccountId: `race-s${i}`,
            amount: '1',
            currency: 'JPY',
            code: 'x',
          },
        ]),
      ),
    );
    expect(clash.flat().filter((r) => r.ok)).toHaveLength(1);
    expect(clash.flat().filter((r) => !r.ok && r.code === 'ID_CONFLICT')).toHaveLength(7);
    expect(await checkInvariants(pool)).toEqual([]);
  });

  it('gives each of 64 concurrent group-commit callers its own result while sharing commits', async () => {
    await ledger.createAccounts([
      { id: 'gc-bank', currency: 'USD', normalSide: 'debit' },
      { id: 'gc-m', currency: 'USD', normalSide: 'credit' },
      ...Array.from({ length: 64 }, (_, i) => ({
        id: `gc-w${i}`,
        currency: 'USD',
        normalSide: 'credit' as const,
        flags: { debitsMustNotExceedCredits: true },
      })),
    ]);
    await ledger.post(
      Array.from({ length: 64 }, (_, i) => ({
        id: `gc-seed${i}`,
        debitAccountId: 'gc-bank',
        creditAccountId: `gc-w${i}`,
        amount: '5.00',
        currency: 'USD',
        code: 'seed',
      })),
    );
    const committer = new GroupCommitter(ledger, { maxBatch: 500, maxInFlight: 2 });
    const perCaller = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const out: string[] = [];
        for (let k = 0; k < 10; k++) {
          const r = await committer.submit({
            id: `gc-${i}-${k}`,
            debitAccountId: `gc-w${i}`,
            creditAccountId: 'gc-m',
            amount: '1.00',
            currency: 'USD',
            code: 'pay',
          });
          out.push(r.ok ? r.transfer.id : r.code);
        }
        return out;
      }),
    );
    perCaller.forEach((out, i) =>
      expect(out).toEqual([
        ...Array.from({ length: 5 }, (_, k) => `gc-${i}-${k}`),
        ...Array(5).fill('INSUFFICIENT_FUNDS'),
      ]),
    );
    expect(committer.stats.transfers).toBe(640);
    expect(committer.stats.batches).toBeLessThan(640 / 4);
    expect((await ledger.balances(['gc-m']))[0]!.posted).toBe('320.00');
    const chain = await committer.submitChain([
      {
        id: 'gc-chain-a',
        debitAccountId: 'gc-m',
        creditAccountId: 'gc-w0',
        amount: '1.00',
        currency: 'USD',
        code: 'refund',
      },
      {
        id: 'gc-chain-b',
        debitAccountId: 'gc-w1',
        creditAccountId: 'gc-m',
        amount: '9.00',
        currency: 'USD',
        code: 'fee',
      },
    ]);
    expect(chain.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'LINKED_TRANSFER_FAILED',
      'INSUFFICIENT_FUNDS',
    ]);
    await committer.drain();
    expect(await checkInvariants(pool)).toEqual([]);
  });
});
