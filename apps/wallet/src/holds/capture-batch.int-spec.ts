import fc from 'fast-check';
import { Pool, type PoolClient } from 'pg';
import type { Actor, MoneyDto } from '@paylend/contracts';
import { Money, TestClock } from '@paylend/ledger';
import { type TestDatabase, batchAgainstOneByOne } from '@paylend/testing';
import { ledgerReads } from '@paylend/wallet-data-access';
import { setWalletTier } from '../operator/operator.use-cases';
import { PredictionMismatch } from '../wallet/p2p-batch.use-case';
import { type WalletDeps } from '../wallet/wallet-core';
import { openWallet, topUp } from '../wallet/wallet.use-cases';
import { captureHoldMany } from './capture-batch.use-case';
import { captureHold, createHold, voidHold } from './hold.use-cases';
import { inTransaction } from '@paylend/platform';
import { value, walletTestDb } from '../testing/wallet-test-db';

/*
 * The set-based capture path must answer and write exactly as `captureHold` applied command by command:
 * same replies, hold rows, ledger transfers and entries, balances, outflow usage and events. Each example
 * runs both from the same committed state, each in a transaction that is rolled back.
 */
jest.setTimeout(300_000);

const OPERATOR: Actor = { userId: 'op-ada', roles: ['operator'] };
const SERVICE: Actor = { userId: 'svc-payments', roles: ['service'] };
const cny = (amount: string): MoneyDto => ({ amount, currency: 'CNY' });
const fromMinor = (minor: bigint): MoneyDto => Money.fromMinor(minor, 'CNY').toJSON();

type Capture = Parameters<typeof captureHold>[2];

let db: TestDatabase;
let pool: Pool;
let deps: WalletDeps;
let clock: TestClock;
/** Payers on tier 2; `capped` (tier 1, near its cap) pays and receives; `merchant` has no cap. */
const payers: string[] = [];
let capped = '';
let merchant = '';
const owners = new Map<string, string>();

const inTx = <T>(fn: (tx: PoolClient) => Promise<T>, commit = true): Promise<T> =>
  inTransaction(pool, fn, { commit });

let deposits = 0;
async function open(userId: string, tier: number | 'merchant', topUpAmount?: string): Promise<string> {
  const kind = tier === 'merchant' ? 'merchant' : 'personal';
  const w = value(
    await inTx((tx) => openWallet(deps, tx, { actor: SERVICE, userId, currency: 'CNY', kind })),
  );
  if (typeof tier === 'number' && tier > 0)
    value(
      await inTx((tx) =>
        setWalletTier(deps, tx, { actor: OPERATOR, walletId: w.walletId, tier, reason: 't' }),
      ),
    );
  if (topUpAmount)
    value(
      await inTx((tx) =>
        topUp(deps, tx, {
          actor: SERVICE,
          walletId: w.walletId,
          amount: cny(topUpAmount),
          participant: 'bank',
          depositReference: `dep-${++deposits}`,
        }),
      ),
    );
  owners.set(w.walletId, userId);
  return w.walletId;
}

async function hold(holdId: string, from: string, to: string | null, minor: bigint): Promise<void> {
  value(
    await inTx((tx) =>
      createHold(deps, tx, {
        actor: SERVICE,
        holdId,
        walletId: from,
        amount: fromMinor(minor),
        ...(to ? { toWalletId: to } : {}),
        reference: `order-${holdId}`,
        timeoutSeconds: 600,
      }),
    ),
  );
}

beforeAll(async () => {
  clock = new TestClock('2026-03-01T09:00:00.000Z');
  ({ db, pool, deps } = await walletTestDb('capture_batch', clock));
  for (let i = 0; i < 4; i++) payers.push(await open(`payer-${i}`, 2, '100000.00'));
  // 49,600.00 of a 50,000.00 cap: a few captures into it in one chunk reach the cap.
  capped = await open('capped', 1, '49600.00');
  merchant = await open('merchant:shop', 'merchant');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** Everything a capture writes, as seen inside the transaction that wrote it. */
async function state(tx: PoolClient, outboxFrom: string) {
  const q = async (sql: string, params: unknown[] = []) => (await tx.query(sql, params)).rows;
  return {
    holds: await q(
      `SELECT id, wallet_id, to_wallet_id, credit_account, currency, amount_minor::text, captured_minor::text, status,
              reference, expires_at, created_at FROM holds ORDER BY id`,
    ),
    accounts: await q(
      `SELECT id, debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text
       FROM ledger.accounts ORDER BY id`,
    ),
    transfers: await q(`SELECT to_jsonb(t) AS t FROM ledger.transfers t ORDER BY id`),
    entries: await q(`SELECT to_jsonb(e) - 'id' AS e FROM ledger.entries e ORDER BY transfer_id, side`),
    outflows: await q(
      `SELECT wallet_id, day::text, amount_minor::text FROM wallet_outflows ORDER BY wallet_id, day`,
    ),
    // Each topic in the order written (the two topics interleave differently; Kafka orders per topic only).
    events: await q(
      `SELECT topic, key, value FROM messaging.outbox WHERE seq > $1::bigint ORDER BY topic, seq`,
      [outboxFrom],
    ),
  };
}

async function compare(cmds: Capture[]) {
  const { many, one } = await batchAgainstOneByOne(
    pool,
    cmds,
    (tx, c) => captureHoldMany(deps, tx, c),
    (tx, c) => captureHold(deps, tx, c),
    state,
    (err) => err instanceof PredictionMismatch,
  );
  expect(many.out).toEqual(one.out);
  expect(many.state).toEqual(one.state);
  return { out: many.out, fellBack: many.fellBack };
}

const spec = fc.record({
  payer: fc.integer({ min: 0, max: 4 }), // 4: the capped wallet as the payer
  to: fc.constantFrom('merchant', 'merchant', 'capped', 'capped', 'clearing'),
  heldMinor: fc.oneof(fc.bigInt({ min: 1n, max: 30_000n }), fc.noBias(fc.bigInt({ min: 1n, max: 30_000n }))),
  fate: fc.constantFrom(
    'open',
    'open',
    'open',
    'open',
    'expired',
    'expires-now',
    'voided',
    'captured',
    'missing',
  ),
  amount: fc.constantFrom('none', 'none', 'full', 'part', 'part', 'over', 'too-precise', 'zero'),
  fee: fc.constantFrom('none', 'zero', 'rate', 'rate', 'rate', 'all', 'over', 'negative', 'usd'),
  actor: fc.constantFrom('service', 'service', 'service', 'owner', 'stranger'),
  frozenPayer: fc.boolean(),
});

type Spec = typeof spec extends fc.Arbitrary<infer S> ? S : never;

let run = 0;
async function setUp(specs: Spec[]) {
  run++;
  clock.advance(24 * 3600 * 1000); // a new day per run keeps the payers' daily outflow limits out of the way
  // The capped wallet starts each run 150.00 under its cap of 50,000.00: one to three captures reach it.
  const below = 4_985_000n - (await ledgerReads.postedMinor(pool, `wallet:${capped}`));
  if (below > 0n)
    value(
      await inTx((tx) =>
        topUp(deps, tx, {
          actor: SERVICE,
          walletId: capped,
          amount: fromMinor(below),
          participant: 'bank',
          depositReference: `dep-${++deposits}`,
        }),
      ),
    );
  const cmds: Capture[] = [];
  const frozen = new Set<string>();
  for (const [i, s] of specs.entries()) {
    const holdId = `r${run}-${i}`;
    const payer = s.payer === 4 ? capped : payers[s.payer]!;
    // Captures committed before the chunk go to the merchant, so the capped wallet's balance stays near its cap.
    const to =
      s.to === 'clearing'
        ? null
        : s.to === 'capped' && payer !== capped && s.fate !== 'captured'
          ? capped
          : merchant;
    if (s.fate !== 'missing') await hold(holdId, payer, to, s.heldMinor);
    if (s.fate === 'voided') value(await inTx((tx) => voidHold(deps, tx, { actor: SERVICE, holdId })));
    if (s.fate === 'captured')
      value(
        await inTx((tx) =>
          captureHold(deps, tx, {
            actor: SERVICE,
            holdId,
            ...(to ? { fee: fromMinor(s.heldMinor / 100n) } : {}),
          }),
        ),
      );
    if (s.fate === 'expired' || s.fate === 'expires-now')
      await pool.query('UPDATE holds SET expires_at = $2 WHERE id = $1', [
        holdId,
        new Date(clock.now().getTime() - (s.fate === 'expired' ? 1000 : 0)),
      ]);
    if (s.frozenPayer && s.payer === 3) frozen.add(payer);
    const captureMinor =
      s.amount === 'part'
        ? s.heldMinor - s.heldMinor / 3n
        : s.amount === 'over'
          ? s.heldMinor + 1n
          : s.heldMinor;
    const amount: MoneyDto | undefined =
      s.amount === 'none'
        ? undefined
        : s.amount === 'too-precise'
          ? cny('1.001')
          : s.amount === 'zero'
            ? cny('0.00')
            : fromMinor(captureMinor);
    const fee: MoneyDto | undefined = {
      none: undefined,
      zero: cny('0.00'),
      rate: fromMinor((captureMinor * 6n + 500n) / 1000n),
      all: fromMinor(captureMinor),
      over: fromMinor(captureMinor + 1n),
      negative: cny('-0.01'),
      usd: { amount: '0.10', currency: 'USD' },
    }[s.fee];
    const actor: Actor =
      s.actor === 'service'
        ? SERVICE
        : { userId: s.actor === 'owner' ? owners.get(payer)! : 'someone-else', roles: ['consumer'] };
    cmds.push({ actor, holdId, ...(amount ? { amount } : {}), ...(fee ? { fee } : {}) });
  }
  // Frozen after its holds were made: a frozen wallet cannot have its holds captured.
  if (frozen.size > 0)
    await pool.query(`UPDATE wallets SET status = 'frozen' WHERE id = ANY($1::text[])`, [[...frozen]]);
  return { cmds, frozen };
}

/** Unfreezes the payers and voids the run's holds left open, so their reserved funds do not pile up. */
async function tearDown(frozen: Set<string>) {
  if (frozen.size > 0)
    await pool.query(`UPDATE wallets SET status = 'active' WHERE id = ANY($1::text[])`, [[...frozen]]);
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM holds WHERE status = 'open' AND id LIKE $1`,
    [`r${run}-%`],
  );
  for (const r of rows) value(await inTx((tx) => voidHold(deps, tx, { actor: SERVICE, holdId: r.id })));
}

it('decides a chunk of captures exactly as captureHold one by one (property, real database)', async () => {
  let batched = 0;
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(spec, { minLength: 2, maxLength: 30 }), async (specs) => {
      const { cmds, frozen } = await setUp(specs);
      try {
        const { out, fellBack } = await compare(cmds);
        if (!fellBack) batched++;
        for (const o of out) {
          const k = o.ok ? `ok:${o.value.status}` : o.error.code;
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
      } finally {
        await tearDown(frozen);
      }
    }),
    { numRuns: 60 },
  );
  // The set-based form answered (rather than falling back) in most examples.
  expect(batched).toBeGreaterThan(45);
  // Every rule was met on the way.
  const rules = [
    'ok:captured',
    'HOLD_NOT_FOUND',
    'HOLD_NOT_OPEN',
    'HOLD_EXPIRED',
    'AMOUNT_EXCEEDS_HOLD',
    'AMOUNT_INVALID',
    'CURRENCY_MISMATCH',
    'FORBIDDEN',
    'WALLET_FROZEN',
    'LIMIT_BALANCE_CAP',
  ];
  expect(rules.filter((k) => !seen.has(k))).toEqual([]);
});

it('many captures into one merchant wallet from many payers, with a refusal in the middle, in one chunk', async () => {
  run++;
  const nearCap = await open('capped-2', 1, '49700.00');
  const cmds: Capture[] = [];
  for (let i = 0; i < 24; i++) {
    const holdId = `m${run}-${i}`;
    await hold(holdId, payers[i % 4]!, i % 6 === 5 ? nearCap : merchant, 10_000n + BigInt(i) * 37n);
    cmds.push({
      actor: SERVICE,
      holdId,
      fee: fromMinor(60n + BigInt(i)),
      ...(i === 12 ? { amount: cny('500.00') } : {}),
    });
  }
  const { out, fellBack } = await compare(cmds);
  expect(fellBack).toBe(false);
  expect(out[12]).toMatchObject({ ok: false, error: { code: 'AMOUNT_EXCEEDS_HOLD' } });
  // Nets into the wallet near its cap: 101.20 and 103.36 fit under 50,000.00 from 49,700.00; 105.52
  // (i = 17) would not, nor 107.68 (i = 23) after it, judged on the running balance without the refused one.
  const refused = out.flatMap((o, i) => (o.ok ? [] : [[i, o.error.code]]));
  expect(refused).toEqual([
    [12, 'AMOUNT_EXCEEDS_HOLD'],
    [17, 'LIMIT_BALANCE_CAP'],
    [23, 'LIMIT_BALANCE_CAP'],
  ]);
});

it('falls back to one by one for a repeated hold id and for a chain the ledger refuses', async () => {
  run++;
  for (let i = 0; i < 3; i++) await hold(`f${run}-${i}`, payers[i]!, merchant, 5_000n);
  const repeated: Capture[] = [0, 1, 0, 2].map((i) => ({ actor: SERVICE, holdId: `f${run}-${i}` }));
  await expect(inTx((tx) => captureHoldMany(deps, tx, repeated), false)).rejects.toBeInstanceOf(
    PredictionMismatch,
  );
  const r = await compare(repeated);
  expect(r.fellBack).toBe(true);
  expect(r.out.map((o) => o.ok)).toEqual([true, true, true, true]);

  // Frozen in the ledger only: the wallet rules pass, the fee leg's debit does not.
  const cmds: Capture[] = [0, 1, 2].map((i) => ({
    actor: SERVICE,
    holdId: `f${run}-${i}`,
    fee: cny('0.30'),
  }));
  expect((await deps.ledger.setAccountStatus(`wallet:${merchant}`, 'frozen')).ok).toBe(true);
  try {
    await expect(inTx((tx) => captureHoldMany(deps, tx, cmds), false)).rejects.toBeInstanceOf(
      PredictionMismatch,
    );
    const f = await compare(cmds);
    expect(f.fellBack).toBe(true);
    expect(f.out.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'WALLET_FROZEN',
      'WALLET_FROZEN',
      'WALLET_FROZEN',
    ]);
  } finally {
    expect((await deps.ledger.setAccountStatus(`wallet:${merchant}`, 'active')).ok).toBe(true);
  }
});

it('runs the same number of SQL statements for a chunk of 2, 10 or 60 captures', async () => {
  const counts: number[] = [];
  for (const n of [2, 10, 60]) {
    run++;
    const cmds: Capture[] = [];
    for (let i = 0; i < n; i++) {
      const holdId = `q${run}-${i}`;
      await hold(holdId, payers[i % 4]!, merchant, 2_000n + BigInt(i));
      // A partial capture (outflow given back), a fee, and one refusal in every chunk.
      cmds.push({
        actor: SERVICE,
        holdId,
        amount: fromMinor(i === 1 ? 9_999_999n : 1_500n),
        fee: fromMinor(9n),
      });
    }
    counts.push(
      await inTx(async (tx) => {
        let queries = 0;
        const counting = new Proxy(tx, {
          get(target, prop, receiver) {
            if (prop === 'query')
              return (...args: unknown[]) => {
                queries++;
                return (target.query as (...a: unknown[]) => unknown)(...args);
              };
            const v: unknown = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
        const out = await captureHoldMany(deps, counting, cmds);
        expect(out.filter((o) => !o.ok)).toHaveLength(1);
        return queries;
      }, false),
    );
  }
  expect(counts[1]).toBe(counts[0]);
  expect(counts[2]).toBe(counts[0]);
  expect(counts[0]).toBeLessThanOrEqual(16);
});
