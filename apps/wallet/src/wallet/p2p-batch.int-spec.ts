import fc from 'fast-check';
import { Pool, type PoolClient } from 'pg';
import type { Actor } from '@paylend/contracts';
import { systemClock } from '@paylend/ledger';
import { type TestDatabase } from '@paylend/testing';
import { p2pTransferMany } from './p2p-batch.use-case';
import { openWallet, p2pTransfer, topUp } from './wallet.use-cases';
import { type WalletDeps } from './wallet-core';
import { inTransaction } from '@paylend/platform';
import { walletTestDb } from '../testing/wallet-test-db';

/*
 * The set-based P2P path must decide exactly as the one-command path: same outcome per command, same
 * balances and usage after. Each example runs both on the same starting state, in transactions rolled back.
 */
jest.setTimeout(120_000);

let db: TestDatabase;
let pool: Pool;
let deps: WalletDeps;
const users = ['u0', 'u1', 'u2', 'u3'];
const wallets: string[] = [];
const actor = (userId: string): Actor => ({ userId, roles: ['consumer'] });

const inTx = <T>(fn: (tx: PoolClient) => Promise<T>, commit: boolean): Promise<T> =>
  inTransaction(pool, fn, { commit });

beforeAll(async () => {
  ({ db, pool, deps } = await walletTestDb('wallet_p2p', systemClock));
  for (const [i, u] of users.entries()) {
    const w = await inTx((tx) => openWallet(deps, tx, { actor: actor(u), userId: u, currency: 'CNY' }), true);
    if (!w.ok) throw new Error(w.error.message);
    wallets.push(w.value.walletId);
    // Different starting points: near the balance cap, some funds, little, none.
    const amount = ['990.00', '300.00', '15.00', '0'][i]!;
    if (amount !== '0') {
      const t = await inTx(
        (tx) =>
          topUp(deps, tx, {
            // The bank's integration reports the deposit.
            actor: { userId: 'svc-bank', roles: ['service'] },
            walletId: w.value.walletId,
            amount: { amount, currency: 'CNY' },
            participant: 'bank.t',
            depositReference: `d-${u}`,
          }),
        true,
      );
      if (!t.ok) throw new Error(t.error.message);
    }
  }
  // A transfer committed before: commands below may replay it (same payload) or reuse its id (conflict).
  const pre = await inTx((tx) => p2pTransfer(deps, tx, { ...PRE, fromWalletId: wallets[1]! }), true);
  if (!pre.ok) throw new Error(pre.error.message);
  await pool.query(`UPDATE wallets SET status = 'frozen' WHERE id = $1`, [wallets[3]]);
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function snapshot(tx: PoolClient) {
  const { rows } = await tx.query(
    `SELECT w.id, (a.credits_posted - a.debits_posted)::text AS posted, COALESCE((SELECT sum(amount_minor) FROM wallet_outflows o WHERE o.wallet_id = w.id), 0)::text AS out
     FROM wallets w JOIN ledger.accounts a ON a.id = w.ledger_account_id ORDER BY w.id`,
  );
  return rows;
}

const PRE = {
  actor: actor('u1'),
  transferId: 'pre-1',
  toUserId: 'u0',
  amount: { amount: '1.00', currency: 'CNY' },
  note: 'pre',
};

const command = fc.record({
  from: fc.integer({ min: 0, max: 3 }),
  to: fc.integer({ min: 0, max: 4 }), // 4: a user without a wallet
  amount: fc.constantFrom('0.01', '5.00', '10.00', '99.99', '150.00', '200.00', '200.01', '1.001', '0'),
  asOwner: fc.boolean(),
  replayOf: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 5 }),
});

it('decides a chunk of P2P commands exactly as applying them one by one (property, real database)', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 2, maxLength: 25 }), async (spec) => {
      run++;
      const ids = spec.map((_, i) => `t${run}-${i}`);
      const firstReplay = spec.findIndex((c) => c.replayOf !== null);
      const cmds = spec.map((c, i) =>
        i === firstReplay && c.replayOf! % 2 === 0
          ? { ...PRE, fromWalletId: wallets[1]! }
          : {
              actor: actor(c.asOwner ? users[c.from]! : users[(c.from + 1) % 4]!),
              transferId: i === firstReplay ? 'pre-1' : ids[i]!,
              fromWalletId: wallets[c.from]!,
              toUserId: c.to === 4 ? 'nobody' : users[c.to]!,
              amount: { amount: c.amount, currency: 'CNY' },
              note: `n${i}`,
            },
      );
      const many = await inTx(
        async (tx) => ({ out: await p2pTransferMany(deps, tx, cmds), state: await snapshot(tx) }),
        false,
      );
      const one = await inTx(async (tx) => {
        const out = [];
        for (const c of cmds) out.push(await p2pTransfer(deps, tx, c));
        return { out, state: await snapshot(tx) };
      }, false);
      const summary = (o: (typeof many.out)[number]) =>
        o.ok
          ? { ok: true, amount: o.value.amount, replayed: o.value.replayed }
          : { ok: false, code: o.error.code };
      expect(many.out.map(summary)).toEqual(one.out.map(summary));
      expect(many.state).toEqual(one.state);
    }),
    { numRuns: 40 },
  );
});
