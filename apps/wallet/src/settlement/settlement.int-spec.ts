import fc from 'fast-check';
import { Pool, type PoolClient } from 'pg';
import pino from 'pino';
import type { Actor, OrderEvent } from '@paylend/contracts';
import { Money, TestClock } from '@paylend/ledger';
import { indexPlanOf, type TestDatabase } from '@paylend/testing';
import { captureHold, createHold } from '../holds/hold.use-cases';
import { setWalletTier } from '../operator/operator.use-cases';
import { type WalletDeps } from '../wallet/wallet-core';
import { openWallet, p2pTransfer, topUp } from '../wallet/wallet.use-cases';
import {
  importStatement,
  listBreaks,
  resolveBreakCase,
  SETTLEMENT_POSTINGS_BY_REFERENCE_SQL,
} from './reconcile.use-cases';
import { ok, type SettlementDeps } from './settlement-core';
import { getReport, settle } from './settle.use-cases';
import { writeCamt053 as camt053, type Camt053Line as StatementLine } from '@paylend/settlement';
import { WindowCloser } from './window-closer';
import {
  CAPTURES_BY_ORDER_SQL,
  clearPayment,
  clearRefund,
  closeDueWindows,
  closeWindow,
} from './window.use-cases';
import { inTransaction } from '@paylend/platform';
import { value, walletTestDb } from '../testing/wallet-test-db';

/*
 * Settlement inside the wallet, against the real PostgreSQL: real wallet captures and refunds clear into the
 * day's window, the clock closes it, settling pays each merchant its net (once), a camt.053 statement with a
 * batch-booked entry and a reversal reconciles, and a wrong statement yields exactly the expected breaks,
 * whose audited resolution brings clearing and suspense back to zero.
 */
jest.setTimeout(120_000);

const OPERATOR: Actor = { userId: 'op-ada', roles: ['operator'], ip: '10.1.2.3' };
const SERVICE: Actor = { userId: 'svc-payments', roles: ['service'] };
const cny = (amount: string) => ({ amount, currency: 'CNY' });

let db: TestDatabase;
let pool: Pool;
let clock: TestClock;
let wallet: WalletDeps;
let deps: SettlementDeps;

const inTx = <T>(fn: (tx: PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, fn);

const wallets = new Map<string, string>();
async function open(userId: string, topUpAmount?: string): Promise<string> {
  // Merchants' wallets are opened as merchant wallets (as payments does at onboarding); payers get tier 2.
  const kind = userId.startsWith('merchant:') ? 'merchant' : 'personal';
  const w = value(
    await inTx((tx) => openWallet(wallet, tx, { actor: SERVICE, userId, currency: 'CNY', kind })),
  );
  if (kind === 'personal')
    await inTx((tx) =>
      setWalletTier(wallet, tx, { actor: OPERATOR, walletId: w.walletId, tier: 2, reason: 'test account' }),
    );
  if (topUpAmount) {
    value(
      await inTx((tx) =>
        topUp(wallet, tx, {
          actor: SERVICE,
          walletId: w.walletId,
          amount: cny(topUpAmount),
          participant: 'bank',
          depositReference: `dep-${userId}`,
        }),
      ),
    );
  }
  wallets.set(userId, w.walletId);
  return w.walletId;
}

/**
 * What payments does for a QR payment: hold on the payer, capture into the merchant's wallet with the fee
 * (booked by the wallet in the same linked chain), then the event.
 */
async function pay(
  orderId: string,
  payer: string,
  merchantId: string,
  amount: string,
  fee: string,
): Promise<void> {
  const payerWallet = wallets.get(payer)!;
  const holdId = `h-${orderId}`;
  value(
    await inTx((tx) =>
      createHold(wallet, tx, {
        actor: SERVICE,
        holdId,
        walletId: payerWallet,
        amount: cny(amount),
        toWalletId: wallets.get(`merchant:${merchantId}`)!,
        reference: orderId,
        timeoutSeconds: 600,
      }),
    ),
  );
  const captured = value(
    await inTx((tx) =>
      captureHold(wallet, tx, { actor: SERVICE, holdId, amount: cny(amount), fee: cny(fee) }),
    ),
  );
  expect(captured).toMatchObject({ captured: cny(amount), fee: cny(fee) });
  await inTx((tx) => clearPayment(deps, tx, orderEvent(orderId, merchantId, payerWallet, amount, fee)));
}

async function refund(
  refundId: string,
  orderId: string,
  merchantId: string,
  payer: string,
  amount: string,
): Promise<void> {
  value(
    await inTx((tx) =>
      p2pTransfer(wallet, tx, {
        actor: SERVICE,
        transferId: `refund:${refundId}`,
        fromWalletId: wallets.get(`merchant:${merchantId}`)!,
        toUserId: payer,
        amount: cny(amount),
        note: `refund ${orderId}`,
      }),
    ),
  );
  const e = {
    ...orderEvent(orderId, merchantId, wallets.get(payer)!, amount, '0.00'),
    refundId,
    refundAmount: cny(amount),
  };
  await inTx((tx) => clearRefund(deps, tx, e));
}

function orderEvent(
  orderId: string,
  merchantId: string,
  payerWalletId: string,
  amount: string,
  fee: string,
): OrderEvent {
  return {
    eventId: '00000000-0000-4000-8000-000000000000',
    orderId,
    merchantId,
    kind: 'dynamic-qr',
    status: 'SUCCEEDED',
    amount: cny(amount),
    captured: cny(amount),
    fee: cny(fee),
    refunded: cny('0.00'),
    payerWalletId,
    at: clock.now().toISOString(),
  };
}

async function balance(accountId: string): Promise<string> {
  const [b] = await wallet.ledger.balances([accountId]);
  return b!.posted;
}

beforeAll(async () => {
  clock = new TestClock('2026-11-28T09:00:00.000Z');
  ({ db, pool, deps: wallet } = await walletTestDb('settlement', clock));
  const ledger = wallet.ledger;
  deps = {
    ledger,
    clock,
    currencies: ['CNY'],
    schemaReady: true,
    // Stands in for payments (another service) answering get-merchant; the database and ledger are real.
    merchants: {
      bankAccounts: async (_actor, ids) =>
        ok(new Map(ids.map((id) => [id, { bankAccount: `CN-BANK-${id}`, name: `Shop ${id}` }]))),
    },
  };
  for (const m of ['m1', 'm2', 'm3']) await open(`merchant:${m}`);
  await open('alice', '1000.00');
  await open('bob', '1000.00');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('a day of QR payments and refunds', () => {
  let day1: string;
  let instructions: { reference: string; participant: string; amount: string; direction: string }[];

  it('clears captures and refunds into the open window, books fees, and the clock closes it at midnight', async () => {
    await pay('o-1', 'alice', 'm1', '100.00', '0.60');
    await pay('o-2', 'bob', 'm1', '50.00', '0.30');
    await pay('o-3', 'alice', 'm2', '80.00', '0.48');
    await pay('o-4', 'bob', 'm3', '10.00', '0.06');
    await refund('r-1', 'o-1', 'm1', 'alice', '20.00');
    await refund('r-2', 'o-4', 'm3', 'bob', '9.00');
    // Redelivery of the same event does not clear (or charge a fee) twice.
    await inTx((tx) =>
      clearPayment(deps, tx, orderEvent('o-1', 'm1', wallets.get('alice')!, '100.00', '0.60')),
    );
    expect(await balance('settlement:fees:CNY')).toBe('1.44');
    // Clearing booked no fee of its own: each payment's fee is the capture's linked leg, recorded by id, and
    // the window's fee total is exactly what the captures booked.
    const { rows: cleared } = await pool.query<{ order_id: string; fee_transfer_id: string; fee: string }>(
      `SELECT order_id, fee_transfer_id, fee_minor::text AS fee FROM settlement.window_transfers
       WHERE kind = 'payment' ORDER BY order_id`,
    );
    expect(cleared.map((r) => [r.order_id, r.fee_transfer_id])).toEqual(
      ['o-1', 'o-2', 'o-3', 'o-4'].map((o) => [o, `hold:h-${o}:fee`]),
    );
    const { rows: feeLegs } = await pool.query<{ id: string; amount: string; code: string }>(
      `SELECT id, amount::text AS amount, code FROM ledger.transfers WHERE credit_account_id = 'settlement:fees:CNY'`,
    );
    expect(feeLegs.every((t) => t.code === 'hold-capture-fee')).toBe(true);
    expect(feeLegs.map((t) => t.id).sort()).toEqual(cleared.map((r) => r.fee_transfer_id).sort());
    const windowFees = cleared.reduce((a, r) => a + BigInt(r.fee), 0n);
    expect(windowFees).toBe(feeLegs.reduce((a, t) => a + BigInt(t.amount), 0n));
    expect(windowFees).toBe(144n);

    clock.set('2026-11-28T23:59:59.000Z');
    expect(await inTx((tx) => closeDueWindows(deps, tx))).toEqual([]);
    clock.set('2026-11-29T00:00:01.000Z');
    const closed = await inTx((tx) => closeDueWindows(deps, tx));
    expect(closed.map((w) => [w.windowId, w.status, w.closedBy, w.transferCount])).toEqual([
      ['qr-cny-000001', 'CLOSED', 'clock', 6],
    ]);
    day1 = closed[0]!.windowId;
    // A payment after midnight goes to the next day's window.
    await pay('o-5', 'alice', 'm2', '25.00', '0.15');
    const { rows } = await pool.query<{ window_id: string }>(
      `SELECT window_id FROM settlement.window_transfers WHERE order_id = 'o-5'`,
    );
    expect(rows[0]!.window_id).toBe('qr-cny-000002');
  });

  it('settles each merchant net of fees and refunds, once', async () => {
    const first = value(await inTx((tx) => settle(deps, tx, { actor: OPERATOR, windowId: day1 })));
    instructions = first.instructions;
    expect(first.alreadySettled).toBe(false);
    expect(first.postedTransfers).toBe(3);
    expect(first.window.status).toBe('SETTLED');
    expect(
      first.instructions.map((i) => [i.participant, i.direction, i.amount, i.bankAccount]).sort(),
    ).toEqual([
      ['merchant:m1', 'payout', '129.10', 'CN-BANK-m1'],
      ['merchant:m2', 'payout', '79.52', 'CN-BANK-m2'],
      ['merchant:m3', 'payout', '0.94', 'CN-BANK-m3'],
    ]);
    // Day 1's money has left the merchants' wallets for clearing; m2 still holds day 2's 25.00 - 0.15.
    expect(await balance(`wallet:${wallets.get('merchant:m1')}`)).toBe('0.00');
    expect(await balance(`wallet:${wallets.get('merchant:m2')}`)).toBe('24.85');
    expect(await balance(`wallet:${wallets.get('merchant:m3')}`)).toBe('0.00');
    expect(await balance('settlement:clearing:CNY')).toBe('209.56');

    const again = value(await inTx((tx) => settle(deps, tx, { actor: OPERATOR, windowId: day1 })));
    expect(again).toMatchObject({ alreadySettled: true, postedTransfers: 0 });
    const byRef = (a: { reference: string }, b: { reference: string }) =>
      a.reference < b.reference ? -1 : 1;
    expect([...again.instructions].sort(byRef)).toEqual([...first.instructions].sort(byRef));
    expect(await balance('settlement:clearing:CNY')).toBe('209.56');

    const csv = value(
      await inTx((tx) => getReport(tx, { actor: OPERATOR, windowId: day1, format: 'csv' })),
    ).content;
    expect(csv).toContain('merchant:m1,CNY,3,150.00,0.00,20.00,0.90,129.10');
    const json = JSON.parse(
      value(await inTx((tx) => getReport(tx, { actor: OPERATOR, windowId: day1, format: 'json' }))).content,
    );
    expect(json.status).toBe('SETTLED');
    const refused = await inTx((tx) =>
      settle(deps, tx, { actor: { userId: 'eve', roles: ['merchant'] }, windowId: day1 }),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('reconciles a camt.053 statement with a batch-booked entry and a reversal: clearing and suspense back to zero', async () => {
    const ref = (p: string) => instructions.find((i) => i.participant === p)!;
    const lines: StatementLine[] = [
      {
        ref: 'E1',
        amount: '208.62',
        direction: 'DBIT',
        valueDate: '2026-11-29',
        batchOf: day1,
        txs: [ref('merchant:m1'), ref('merchant:m2')].map((i) => ({
          endToEndId: i.reference,
          amount: i.amount,
        })),
      },
      {
        ref: 'E2',
        amount: '0.94',
        direction: 'DBIT',
        valueDate: '2026-11-29',
        txs: [{ endToEndId: ref('merchant:m3').reference, amount: '0.94' }],
      },
      // The bank booked the m3 payout twice and reversed the duplicate.
      {
        ref: 'E3',
        amount: '0.94',
        direction: 'DBIT',
        valueDate: '2026-11-29',
        txs: [{ endToEndId: ref('merchant:m3').reference, amount: '0.94' }],
      },
      {
        ref: 'E4',
        amount: '0.94',
        direction: 'CRDT',
        reversal: true,
        valueDate: '2026-11-29',
        txs: [{ endToEndId: ref('merchant:m3').reference, amount: '0.94' }],
      },
    ];
    const content = camt053({ statementId: 'STMT-20261129', currency: 'CNY', date: '2026-11-29', lines });
    const rec = value(
      await inTx((tx) => importStatement(deps, tx, { actor: OPERATOR, format: 'camt053', content })),
    );
    expect(rec).toMatchObject({ windowIds: [day1], matched: 3, reversals: 1, breaks: [], balanced: true });
    expect(rec.ledgerAccounts.map((a) => [a.accountId, a.balance])).toEqual([
      ['settlement:clearing:CNY', '0.00'],
      ['settlement:suspense:CNY', '0.00'],
    ]);
    expect(await balance('settlement:bank:CNY')).toBe('-209.56');
    const dup = await inTx((tx) =>
      importStatement(deps, tx, { actor: OPERATOR, format: 'camt053', content }),
    );
    expect(dup).toMatchObject({ ok: false, error: { code: 'STATEMENT_ALREADY_IMPORTED' } });
    // A different statement naming the reconciled window must not post the bank's confirmations again.
    const other = camt053({ statementId: 'STMT-20261129-B', currency: 'CNY', date: '2026-11-29', lines });
    const again = await inTx((tx) =>
      importStatement(deps, tx, { actor: OPERATOR, format: 'camt053', content: other, windowIds: [day1] }),
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'WINDOW_ALREADY_RECONCILED' } });
    expect(await balance('settlement:bank:CNY')).toBe('-209.56');
  });

  it('a wrong statement produces exactly the expected breaks; audited resolutions bring the accounts back to zero', async () => {
    await pay('o-6', 'bob', 'm1', '40.00', '0.24');
    await pay('o-7', 'alice', 'm3', '12.00', '0.07');
    const day2 = value(
      await inTx((tx) => closeWindow(deps, tx, { actor: OPERATOR, scheme: 'qr-cny' })),
    ).closed;
    expect(day2).toMatchObject({ windowId: 'qr-cny-000002', closedBy: 'operator:op-ada', transferCount: 3 });
    const settled = value(await inTx((tx) => settle(deps, tx, { actor: OPERATOR, windowId: day2.windowId })));
    const by = (p: string) => settled.instructions.find((i) => i.participant === p)!;
    expect([by('merchant:m1').amount, by('merchant:m2').amount, by('merchant:m3').amount]).toEqual([
      '39.76',
      '24.85',
      '11.93',
    ]);

    // m1's payout is missing, m2's was paid 0.05 short, m3's is right, and a 7.00 debit nobody sent.
    const content = camt053({
      statementId: 'STMT-20261130-WRONG',
      currency: 'CNY',
      date: '2026-11-30',
      lines: [
        {
          ref: 'W1',
          amount: '24.80',
          direction: 'DBIT',
          valueDate: '2026-11-30',
          txs: [{ endToEndId: by('merchant:m2').reference, amount: '24.80' }],
        },
        {
          ref: 'W2',
          amount: '11.93',
          direction: 'DBIT',
          valueDate: '2026-11-30',
          txs: [{ endToEndId: by('merchant:m3').reference, amount: '11.93' }],
        },
        {
          ref: 'W3',
          amount: '7.00',
          direction: 'DBIT',
          valueDate: '2026-11-30',
          txs: [{ endToEndId: 'PLP-NOBODY-SENT-THIS', amount: '7.00' }],
        },
      ],
    });
    const rec = value(
      await inTx((tx) => importStatement(deps, tx, { actor: OPERATOR, format: 'camt053', content })),
    );
    expect(rec.balanced).toBe(false);
    // Only m3's payout matches cleanly; m2's differs in amount and is a break, not a match.
    expect(rec.matched).toBe(1);
    expect(
      rec.breaks
        .map((b) => [b.kind, b.cause, b.participant, b.expected, b.actual, b.residueAccount, b.residue])
        .sort(),
    ).toEqual([
      [
        'amount_mismatch',
        'bank_amount_differs',
        'merchant:m2',
        '24.85',
        '24.80',
        'settlement:clearing:CNY',
        '-0.05',
      ],
      ['missing_in_bank', 'no_bank_entry', 'merchant:m1', '39.76', null, 'settlement:clearing:CNY', '-39.76'],
      ['missing_in_ledger', 'no_ledger_entry', null, null, '7.00', 'settlement:suspense:CNY', '7.00'],
    ]);
    expect(rec.ledgerAccounts.every((a) => a.zero)).toBe(false);
    const open = value(await inTx((tx) => listBreaks(tx, { actor: OPERATOR })));
    expect(open).toHaveLength(3);

    const brk = (kind: string) => rec.breaks.find((b) => b.kind === kind)!;
    const notOperator = await inTx((tx) =>
      resolveBreakCase(deps, tx, {
        actor: { userId: 'eve', roles: ['merchant'] },
        breakId: brk('missing_in_bank').breakId,
        reason: 'mine',
        target: { kind: 'write_off' },
      }),
    );
    expect(notOperator).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const r1 = value(
      await inTx((tx) =>
        resolveBreakCase(deps, tx, {
          actor: OPERATOR,
          breakId: brk('missing_in_bank').breakId,
          reason: 'payout bounced: credit the merchant wallet again',
          target: { kind: 'participant', participant: 'merchant:m1' },
        }),
      ),
    );
    expect(r1.break.resolution).toMatchObject({
      operator: 'op-ada',
      sourceIp: '10.1.2.3',
      postingIds: [expect.any(String)],
    });
    expect(await balance(`wallet:${wallets.get('merchant:m1')}`)).toBe('39.76');
    value(
      await inTx((tx) =>
        resolveBreakCase(deps, tx, {
          actor: OPERATOR,
          breakId: brk('amount_mismatch').breakId,
          reason: 'bank fee, accepted',
          target: { kind: 'write_off' },
        }),
      ),
    );
    const last = value(
      await inTx((tx) =>
        resolveBreakCase(deps, tx, {
          actor: OPERATOR,
          breakId: brk('missing_in_ledger').breakId,
          reason: 'bank error, claim filed',
          target: { kind: 'write_off' },
        }),
      ),
    );
    expect(last.balanced).toBe(true);
    expect(last.ledgerAccounts.map((a) => [a.accountId, a.balance])).toEqual([
      ['settlement:clearing:CNY', '0.00'],
      ['settlement:suspense:CNY', '0.00'],
    ]);
    const twice = await inTx((tx) =>
      resolveBreakCase(deps, tx, {
        actor: OPERATOR,
        breakId: brk('missing_in_ledger').breakId,
        reason: 'again',
        target: { kind: 'write_off' },
      }),
    );
    expect(twice).toMatchObject({ ok: false, error: { code: 'BREAK_ALREADY_RESOLVED' } });
    expect(value(await inTx((tx) => listBreaks(tx, { actor: OPERATOR })))).toEqual([]);
    expect(value(await inTx((tx) => listBreaks(tx, { actor: OPERATOR, status: 'RESOLVED' })))).toHaveLength(
      3,
    );

    // Who, what, when, from where, result: in the resolution audit and in the wallet's operator audit log.
    const { rows: audit } = await pool.query<{
      action: string;
      actor_id: string;
      actor_ip: string;
      result: string;
    }>(
      `SELECT action, actor_id, actor_ip, result FROM audit_log WHERE action = 'settlement.resolve-break' ORDER BY id`,
    );
    expect(audit.map((a) => [a.actor_id, a.actor_ip, a.result])).toEqual([
      ['eve', null, 'refused: FORBIDDEN'],
      ['op-ada', '10.1.2.3', 'ok'],
      ['op-ada', '10.1.2.3', 'ok'],
      ['op-ada', '10.1.2.3', 'ok'],
      ['op-ada', '10.1.2.3', 'refused: BREAK_ALREADY_RESOLVED'],
    ]);
    await expect(pool.query(`UPDATE settlement.break_resolutions SET operator = 'mallory'`)).rejects.toThrow(
      /append-only/,
    );

    // Each step announced itself through the outbox, in the transaction of its effect.
    const { rows: events } = await pool.query<{ topic: string; n: number }>(
      `SELECT topic, count(*)::int AS n FROM messaging.outbox
       WHERE topic IN ('wallet.break.resolved.v1', 'wallet.settlement-window.closed.v1', 'wallet.settlement.posted.v1',
                       'wallet.statement.reconciled.v1')
       GROUP BY topic ORDER BY topic`,
    );
    expect(events).toEqual([
      { topic: 'wallet.break.resolved.v1', n: 3 },
      { topic: 'wallet.settlement-window.closed.v1', n: 2 },
      { topic: 'wallet.settlement.posted.v1', n: 2 },
      { topic: 'wallet.statement.reconciled.v1', n: 2 },
    ]);
  });
});

describe('settlement invariants over random days', () => {
  const minorToString = (m: bigint) => Money.fromMinor(m, 'CNY').amount;
  const payment = fc.record({
    merchant: fc.constantFrom('p1', 'p2', 'p3'),
    amountMinor: fc.bigInt({ min: 1n, max: 20_000n }),
    feePermille: fc.integer({ min: 0, max: 20 }),
    refundShare: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  });

  it('each merchant is paid captures - fees - refunds, its wallet keeps nothing of the window, clearing holds the payouts', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(payment, { minLength: 1, maxLength: 8 }), async (day) => {
        run++;
        const payer = `payer-${run}`;
        await open(payer, '2000.00');
        for (const m of ['p1', 'p2', 'p3'])
          if (!wallets.has(`merchant:${m}-${run}`)) await open(`merchant:${m}-${run}`);
        const expected = new Map<string, bigint>();
        let n = 0;
        for (const p of day) {
          const merchantId = `${p.merchant}-${run}`;
          const fee = (p.amountMinor * BigInt(p.feePermille)) / 1000n;
          const orderId = `pr${run}-${++n}`;
          await pay(orderId, payer, merchantId, minorToString(p.amountMinor), minorToString(fee));
          let net = p.amountMinor - fee;
          // A refund never exceeds what this payment left in the merchant's wallet.
          const refundMinor =
            p.refundShare === undefined ? 0n : ((p.amountMinor - fee) * BigInt(p.refundShare)) / 100n;
          if (refundMinor > 0n) {
            await refund(`rf-${orderId}`, orderId, merchantId, payer, minorToString(refundMinor));
            net -= refundMinor;
          }
          expected.set(`merchant:${merchantId}`, (expected.get(`merchant:${merchantId}`) ?? 0n) + net);
        }
        const clearingBefore = Money.of(await balance('settlement:clearing:CNY'), 'CNY').toMinor();
        const closed = value(
          await inTx((tx) => closeWindow(deps, tx, { actor: OPERATOR, scheme: 'qr-cny' })),
        ).closed;
        const settled = value(
          await inTx((tx) => settle(deps, tx, { actor: OPERATOR, windowId: closed.windowId })),
        );
        const paid = new Map(
          settled.instructions.map((i) => [i.participant, Money.of(i.amount, 'CNY').toMinor()]),
        );
        const owed = new Map([...expected].filter(([, v]) => v > 0n));
        expect(paid).toEqual(owed);
        expect(settled.instructions.every((i) => i.direction === 'payout')).toBe(true);
        for (const m of ['p1', 'p2', 'p3'])
          expect(await balance(`wallet:${wallets.get(`merchant:${m}-${run}`)}`)).toBe('0.00');
        const total = [...owed.values()].reduce((a, b) => a + b, 0n);
        expect(Money.of(await balance('settlement:clearing:CNY'), 'CNY').toMinor() - clearingBefore).toBe(
          total,
        );
        const again = value(
          await inTx((tx) => settle(deps, tx, { actor: OPERATOR, windowId: closed.windowId })),
        );
        expect(again.postedTransfers).toBe(0);
      }),
      { numRuns: 12 },
    );
  });
});

describe('the day boundary', () => {
  it('a transfer clearing after midnight closes the finished window first, even before the closer runs', async () => {
    const { rows: before } = await pool.query<{ id: string; closes_at: Date }>(
      `SELECT id, closes_at FROM settlement.windows WHERE status = 'OPEN'`,
    );
    expect(before).toHaveLength(1);
    clock.set(new Date(before[0]!.closes_at.getTime() + 1000));
    await pay('o-late', 'alice', 'm1', '3.00', '0.02');
    const { rows } = await pool.query<{ id: string; status: string; closed_by: string | null }>(
      `SELECT id, status, closed_by FROM settlement.windows WHERE id = $1 OR id = (SELECT window_id FROM settlement.window_transfers WHERE order_id = 'o-late')
       ORDER BY sequence`,
      [before[0]!.id],
    );
    expect(rows).toEqual([
      { id: before[0]!.id, status: 'CLOSED', closed_by: 'clock' },
      { id: expect.not.stringMatching(before[0]!.id), status: 'OPEN', closed_by: null },
    ]);
    expect(await inTx((tx) => closeDueWindows(deps, tx))).toEqual([]);

    // The service's closer (its own transaction per pass) closes the next day's window at its end.
    const closer = new WindowCloser(deps, pool, pino({ level: 'silent' }), 60_000);
    clock.advance(24 * 3600 * 1000);
    const closed = await closer.closeDue();
    expect(closed.map((w) => [w.windowId, w.status, w.closedBy, w.transferCount])).toEqual([
      [rows[1]!.id, 'CLOSED', 'clock', 1],
    ]);
    expect(await closer.closeDue()).toEqual([]);

    // A day without trade closes and settles to nothing: no instructions, no postings, a report all the same.
    const empty = value(
      await inTx((tx) => closeWindow(deps, tx, { actor: OPERATOR, scheme: 'qr-cny' })),
    ).closed;
    expect(empty.transferCount).toBe(0);
    const settled = value(
      await inTx((tx) => settle(deps, tx, { actor: OPERATOR, windowId: empty.windowId })),
    );
    expect(settled).toMatchObject({ instructions: [], postedTransfers: 0, window: { status: 'SETTLED' } });
    const report = value(
      await inTx((tx) => getReport(tx, { actor: OPERATOR, windowId: empty.windowId, format: 'json' })),
    );
    expect(JSON.parse(report.content)).toMatchObject({ windowId: empty.windowId, rows: [] });
  });
});

describe('fees at clearing', () => {
  it('a capture made without a fee leg (older wallet or payments) still has its fee booked once; a fee that disagrees with the ledger is refused', async () => {
    const payerWallet = wallets.get('alice')!;
    const merchantWallet = wallets.get('merchant:m1')!;
    const hold = async (orderId: string) =>
      value(
        await inTx((tx) =>
          createHold(wallet, tx, {
            actor: SERVICE,
            holdId: `h-${orderId}`,
            walletId: payerWallet,
            amount: cny('10.00'),
            toWalletId: merchantWallet,
            reference: orderId,
          }),
        ),
      );
    await hold('o-legacy');
    value(await inTx((tx) => captureHold(wallet, tx, { actor: SERVICE, holdId: 'h-o-legacy' })));
    const feesBefore = await balance('settlement:fees:CNY');
    const legacy = orderEvent('o-legacy', 'm1', payerWallet, '10.00', '0.06');
    expect(await inTx((tx) => clearPayment(deps, tx, legacy))).toBe('cleared');
    expect(await inTx((tx) => clearPayment(deps, tx, legacy))).toBe('already');
    const { rows } = await pool.query<{ fee_transfer_id: string }>(
      `SELECT fee_transfer_id FROM settlement.window_transfers WHERE order_id = 'o-legacy'`,
    );
    expect(rows).toEqual([{ fee_transfer_id: 'fee:o-legacy' }]);
    expect(
      Money.of(await balance('settlement:fees:CNY'), 'CNY').minus(Money.of(feesBefore, 'CNY')).amount,
    ).toBe('0.06');

    await hold('o-mismatch');
    value(
      await inTx((tx) =>
        captureHold(wallet, tx, { actor: SERVICE, holdId: 'h-o-mismatch', fee: cny('0.06') }),
      ),
    );
    await expect(
      inTx((tx) => clearPayment(deps, tx, orderEvent('o-mismatch', 'm1', payerWallet, '10.00', '0.07'))),
    ).rejects.toThrow(/fee of 0.07 but the ledger's hold:h-o-mismatch:fee holds 6 minor units/);
  });
});

describe('closing by request', () => {
  it("an operator's close retried under the same request id closes one window and answers with it again", async () => {
    const close = (requestId: string) =>
      inTx((tx) => closeWindow(deps, tx, { actor: OPERATOR, scheme: 'qr-cny', requestId }));
    const first = value(await close('g_close-once'));
    const retried = value(await close('g_close-once'));
    expect(retried.closed.windowId).toBe(first.closed.windowId);
    expect(retried.next.windowId).toBe(first.next.windowId);
    expect(retried.next.status).toBe('OPEN');
    // Another request closes the next one.
    const other = value(await close('g_close-other'));
    expect(other.closed.windowId).toBe(first.next.windowId);
  });
});

test('clearing and reconciliation find transfers by reference through an index, never a journal scan', async () => {
  for (const text of [CAPTURES_BY_ORDER_SQL, SETTLEMENT_POSTINGS_BY_REFERENCE_SQL]) {
    // Whatever the table's size: with sequential scans priced out, only a usable index avoids one.
    const plan = await indexPlanOf(pool, { text, values: [['ord-1', 'ord-2']] });
    expect(plan).toContain('transfers_settlement_reference_idx');
    expect(plan).not.toContain('Seq Scan');
  }
});
