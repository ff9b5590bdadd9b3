import fc from 'fast-check';
import { Pool, type PoolClient } from 'pg';
import type { Actor, MoneyDto } from '@paylend/contracts';
import { Money, TestClock } from '@paylend/ledger';
import { type TestDatabase } from '@paylend/testing';
import { ledgerReads } from '@paylend/wallet-data-access';
import { setWalletTier } from '../operator/operator.use-cases';
import { feeAccountId, type WalletDeps } from '../wallet/wallet-core';
import { openWallet, p2pTransfer, topUp } from '../wallet/wallet.use-cases';
import { captureHoldMany } from './capture-batch.use-case';
import { captureHold, createHold, getHold, voidHold } from './hold.use-cases';
import { inTransaction } from '@paylend/platform';
import { value, walletTestDb } from '../testing/wallet-test-db';

/*
 * A capture with a fee against the real PostgreSQL ledger: the capture into the merchant's wallet and the
 * fee leg to the platform's fee account are one linked chain (a refused fee leg undoes the capture and the
 * hold stays open), gross = net + fee to the minor unit, and a merchant wallet takes more than any
 * consumer tier's cap.
 */
jest.setTimeout(120_000);

const OPERATOR: Actor = { userId: 'op-ada', roles: ['operator'] };
const SERVICE: Actor = { userId: 'svc-payments', roles: ['service'] };
const cny = (amount: string): MoneyDto => ({ amount, currency: 'CNY' });
const usd = (amount: string): MoneyDto => ({ amount, currency: 'USD' });

let db: TestDatabase;
let pool: Pool;
let deps: WalletDeps;

const inTx = <T>(fn: (tx: PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, fn);

let deposits = 0;
/** A payer on tier 2 with `topUpAmount`, or a merchant's wallet as payments opens it at onboarding. */
async function open(userId: string, currency: string, topUpAmount?: string): Promise<string> {
  const kind = userId.startsWith('merchant:') ? 'merchant' : 'personal';
  const w = value(await inTx((tx) => openWallet(deps, tx, { actor: SERVICE, userId, currency, kind })));
  if (kind === 'personal') {
    value(
      await inTx((tx) =>
        setWalletTier(deps, tx, { actor: OPERATOR, walletId: w.walletId, tier: 2, reason: 'test payer' }),
      ),
    );
  }
  if (topUpAmount) {
    value(
      await inTx((tx) =>
        topUp(deps, tx, {
          actor: SERVICE,
          walletId: w.walletId,
          amount: { amount: topUpAmount, currency },
          participant: 'bank',
          depositReference: `dep-${++deposits}`,
        }),
      ),
    );
  }
  return w.walletId;
}

async function hold(holdId: string, from: string, to: string, amount: MoneyDto): Promise<void> {
  value(
    await inTx((tx) =>
      createHold(deps, tx, {
        actor: SERVICE,
        holdId,
        walletId: from,
        amount,
        toWalletId: to,
        reference: `order-${holdId}`,
      }),
    ),
  );
}

function posted(accountId: string): Promise<bigint> {
  return ledgerReads.postedMinor(pool, accountId);
}

async function transferIds(prefix: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM ledger.transfers WHERE id LIKE $1 ORDER BY id',
    [`${prefix}%`],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  ({ db, pool, deps } = await walletTestDb('capture_fee', new TestClock('2026-11-28T09:00:00.000Z'), [
    'CNY',
    'USD',
  ]));
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('a capture with a fee is one linked ledger chain', () => {
  it('a refused fee leg (merchant account frozen in the ledger) undoes the capture: nothing moves, the hold stays open', async () => {
    const payer = await open('payer-a', 'CNY', '500.00');
    const merchant = await open('merchant:shop-a', 'CNY');
    await hold('h-a', payer, merchant, cny('100.00'));
    // Frozen in the ledger only: the capture's credit alone would pass, the fee leg's debit cannot.
    expect((await deps.ledger.setAccountStatus(`wallet:${merchant}`, 'frozen')).ok).toBe(true);
    const refused = await inTx((tx) =>
      captureHold(deps, tx, { actor: SERVICE, holdId: 'h-a', amount: cny('100.00'), fee: cny('0.60') }),
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'WALLET_FROZEN', details: { ledgerCode: 'ACCOUNT_FROZEN' } },
    });
    expect(await transferIds('hold:h-a:')).toEqual([]);
    expect(value(await inTx((tx) => getHold(tx, { actor: SERVICE, holdId: 'h-a' })))).toMatchObject({
      status: 'open',
      captured: cny('0.00'),
      fee: cny('0.00'),
    });
    expect(await posted(`wallet:${merchant}`)).toBe(0n);
    expect(await posted(feeAccountId('CNY'))).toBe(0n);
    expect(await posted(`wallet:${payer}`)).toBe(50_000n);
    const { rows: events } = await pool.query(
      `SELECT 1 FROM messaging.outbox WHERE topic = 'wallet.hold.captured.v1' AND value->>'holdId' = 'h-a'`,
    );
    expect(events).toEqual([]);

    // Once the account takes debits again, the same capture books both legs together.
    expect((await deps.ledger.setAccountStatus(`wallet:${merchant}`, 'active')).ok).toBe(true);
    const done = value(
      await inTx((tx) =>
        captureHold(deps, tx, { actor: SERVICE, holdId: 'h-a', amount: cny('100.00'), fee: cny('0.60') }),
      ),
    );
    expect(done).toMatchObject({
      status: 'captured',
      captured: cny('100.00'),
      fee: cny('0.60'),
      net: cny('99.40'),
    });
    expect(await transferIds('hold:h-a:')).toEqual(['hold:h-a:capture', 'hold:h-a:fee']);
    expect(await posted(`wallet:${merchant}`)).toBe(9_940n);
    expect(await posted(feeAccountId('CNY'))).toBe(60n);
    expect(await posted(`wallet:${payer}`)).toBe(40_000n);
    // A replayed capture and a later read report the fee the ledger booked; nothing is posted again.
    const replay = value(
      await inTx((tx) =>
        captureHold(deps, tx, { actor: SERVICE, holdId: 'h-a', amount: cny('100.00'), fee: cny('0.60') }),
      ),
    );
    expect(replay).toEqual(done);
    expect(value(await inTx((tx) => getHold(tx, { actor: SERVICE, holdId: 'h-a' })))).toEqual(done);
    expect(await posted(feeAccountId('CNY'))).toBe(60n);
    const { rows: out } = await pool.query<{ topic: string; value: Record<string, unknown> }>(
      `SELECT topic, value FROM messaging.outbox
       WHERE value->>'holdId' = 'h-a' OR value->>'transferId' LIKE 'hold:h-a:%' ORDER BY seq`,
    );
    expect(out.map((o) => [o.topic, o.value['kind'] ?? o.value['status']])).toEqual([
      ['wallet.hold.created.v1', 'open'],
      ['wallet.hold.captured.v1', 'captured'],
      ['wallet.transfer.posted.v1', 'hold-capture'],
      ['wallet.transfer.posted.v1', 'fee'],
    ]);
    expect(out[1]!.value).toMatchObject({ captured: cny('100.00'), fee: cny('0.60'), net: cny('99.40') });
  });

  it('a closed fee account refuses the whole capture; without a fee the capture needs no fee leg', async () => {
    const payer = await open('payer-b', 'USD', '100.00');
    const merchant = await open('merchant:shop-b', 'USD');
    expect((await deps.ledger.setAccountStatus(feeAccountId('USD'), 'closed')).ok).toBe(true);
    await hold('h-b', payer, merchant, usd('20.00'));
    const refused = await inTx((tx) =>
      captureHold(deps, tx, { actor: SERVICE, holdId: 'h-b', fee: usd('0.12') }),
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'WALLET_CLOSED', details: { ledgerCode: 'ACCOUNT_CLOSED' } },
    });
    expect(await transferIds('hold:h-b:')).toEqual([]);
    expect(value(await inTx((tx) => getHold(tx, { actor: SERVICE, holdId: 'h-b' }))).status).toBe('open');
    expect(await posted(`wallet:${merchant}`)).toBe(0n);

    const free = value(
      await inTx((tx) => captureHold(deps, tx, { actor: SERVICE, holdId: 'h-b', fee: usd('0.00') })),
    );
    expect(free).toMatchObject({ captured: usd('20.00'), fee: usd('0.00'), net: usd('20.00') });
    expect(await transferIds('hold:h-b:')).toEqual(['hold:h-b:capture']);
  });

  it('refuses a fee that is negative, above the capture, in another currency, too precise, or set by the payer', async () => {
    const payer = await open('payer-c', 'CNY', '100.00');
    const merchant = await open('merchant:shop-c', 'CNY');
    await hold('h-c', payer, merchant, cny('10.00'));
    const attempt = (fee: MoneyDto, actor: Actor = SERVICE, amount = cny('8.00')) =>
      inTx((tx) => captureHold(deps, tx, { actor, holdId: 'h-c', amount, fee }));
    expect(await attempt(cny('-0.01'))).toMatchObject({ ok: false, error: { code: 'AMOUNT_INVALID' } });
    expect(await attempt(cny('8.01'))).toMatchObject({
      ok: false,
      error: { code: 'AMOUNT_INVALID', message: expect.stringMatching(/more than the 8.00 CNY captured/) },
    });
    expect(await attempt(usd('0.05'))).toMatchObject({ ok: false, error: { code: 'CURRENCY_MISMATCH' } });
    expect(await attempt(cny('0.005'))).toMatchObject({ ok: false, error: { code: 'AMOUNT_INVALID' } });
    const owner: Actor = { userId: 'payer-c', roles: ['consumer'] };
    expect(await attempt(cny('0.05'), owner)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await transferIds('hold:h-c:')).toEqual([]);
    // The whole capture as fee is allowed (the merchant keeps nothing of it).
    expect(value(await attempt(cny('8.00')))).toMatchObject({ fee: cny('8.00'), net: cny('0.00') });
    expect(await posted(`wallet:${merchant}`)).toBe(0n);
  });

  it("a hold a service placed is the service's to capture or void, not the payer's (an operator may)", async () => {
    const payer = await open('payer-s', 'CNY', '100.00');
    const merchant = await open('merchant:shop-s', 'CNY');
    await hold('h-s', payer, merchant, cny('10.00'));
    await hold('h-s2', payer, merchant, cny('5.00'));
    const owner: Actor = { userId: 'payer-s', roles: ['consumer'] };
    // The payer cannot capture part of it (the merchant would get less), without the fee, or release it.
    expect(
      await inTx((tx) => captureHold(deps, tx, { actor: owner, holdId: 'h-s', amount: cny('1.00') })),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await inTx((tx) => voidHold(deps, tx, { actor: owner, holdId: 'h-s' }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await inTx((tx) =>
        captureHoldMany(deps, tx, [
          { actor: owner, holdId: 'h-s' },
          { actor: owner, holdId: 'h-s2' },
        ]),
      ),
    ).toMatchObject([
      { ok: false, error: { code: 'FORBIDDEN' } },
      { ok: false, error: { code: 'FORBIDDEN' } },
    ]);
    expect(await transferIds('hold:h-s')).toEqual(['hold:h-s', 'hold:h-s2']);
    expect(value(await inTx((tx) => voidHold(deps, tx, { actor: OPERATOR, holdId: 'h-s' })))).toMatchObject({
      status: 'voided',
    });
  });

  it('property: gross = net + fee to the minor unit, in the reply and in every account it moved', async () => {
    const payer = await open('payer-p', 'CNY', '200000.00');
    const merchant = await open('merchant:shop-p', 'CNY');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 500_000n }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 50_000 }),
        async (heldMinor, capturePct, ratePpm) => {
          const holdId = `h-p-${++n}`;
          const gross = heldMinor - (heldMinor * BigInt(capturePct)) / 200n;
          // Payments' rule: amount x rate, half up to the minor unit.
          const rate = `0.${String(ratePpm).padStart(6, '0')}`;
          const fee = Money.fromMinor(gross, 'CNY').times(rate, 'HALF_UP');
          const before = await Promise.all(
            [`wallet:${payer}`, `wallet:${merchant}`, feeAccountId('CNY')].map(posted),
          );
          await hold(holdId, payer, merchant, Money.fromMinor(heldMinor, 'CNY').toJSON());
          const v = value(
            await inTx((tx) =>
              captureHold(deps, tx, {
                actor: SERVICE,
                holdId,
                amount: Money.fromMinor(gross, 'CNY').toJSON(),
                fee: fee.toJSON(),
              }),
            ),
          );
          const minor = (m: MoneyDto) => Money.of(m.amount, m.currency).toMinor();
          expect(minor(v.captured)).toBe(gross);
          expect(minor(v.fee)).toBe(fee.toMinor());
          expect(minor(v.net) + minor(v.fee)).toBe(minor(v.captured));
          const after = await Promise.all(
            [`wallet:${payer}`, `wallet:${merchant}`, feeAccountId('CNY')].map(posted),
          );
          expect(before[0]! - after[0]!).toBe(gross);
          expect(after[1]! - before[1]!).toBe(minor(v.net));
          expect(after[2]! - before[2]!).toBe(minor(v.fee));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('merchant wallets', () => {
  it('are opened on the merchant tier by a service, take more than any consumer cap, and pay refunds above tier-0 limits', async () => {
    const merchant = value(
      await inTx((tx) =>
        openWallet(deps, tx, { actor: SERVICE, userId: 'merchant:big', currency: 'CNY', kind: 'merchant' }),
      ),
    );
    expect(merchant.tier).toBe(deps.tiers.merchantTier);
    expect(merchant.tier).toBe(5);
    const payer = await open('payer-big', 'CNY', '20000.00');
    // A consumer's wallet (tier 0) as the recipient is refused above its cap of 1,000.00.
    const consumer = value(
      await inTx((tx) => openWallet(deps, tx, { actor: SERVICE, userId: 'small', currency: 'CNY' })),
    );
    expect(consumer.tier).toBe(0);
    await hold('h-small', payer, consumer.walletId, cny('1500.00'));
    expect(await inTx((tx) => captureHold(deps, tx, { actor: SERVICE, holdId: 'h-small' }))).toMatchObject({
      ok: false,
      error: { code: 'LIMIT_BALANCE_CAP' },
    });
    // The merchant wallet takes 12,000.00 in captures (12x the tier-0 cap), net of 0.6 % fees.
    for (let i = 0; i < 4; i++) {
      await hold(`h-big-${i}`, payer, merchant.walletId, cny('3000.00'));
      value(
        await inTx((tx) =>
          captureHold(deps, tx, { actor: SERVICE, holdId: `h-big-${i}`, fee: cny('18.00') }),
        ),
      );
    }
    expect(await posted(`wallet:${merchant.walletId}`)).toBe(1_192_800n);
    // A refund of 600.00 from it passes (tier 0 would refuse it: per transaction 200, daily 500).
    value(
      await inTx((tx) =>
        p2pTransfer(deps, tx, {
          actor: SERVICE,
          transferId: 'refund:big-1',
          fromWalletId: merchant.walletId,
          toUserId: 'payer-big',
          amount: cny('600.00'),
        }),
      ),
    );
    // Only the platform opens merchant wallets.
    const self = await inTx((tx) =>
      openWallet(deps, tx, {
        actor: { userId: 'eve', roles: ['merchant'] },
        userId: 'eve',
        currency: 'CNY',
        kind: 'merchant',
      }),
    );
    expect(self).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
