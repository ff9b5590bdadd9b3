import {
  captureHoldCommand,
  chargePaymentCodeCommand,
  createHoldCommand,
  voidHoldCommand,
  closeOrderCommand,
  configureWebhookCommand,
  createOrderCommand,
  createStaticQrCommand,
  getOrderCommand,
  getWalletsCommand,
  issuePaymentCodeCommand,
  listOrdersCommand,
  payQrCommand,
  refundOrderCommand,
  type Actor,
  type OrderView,
  type Reply,
} from '@paylend/contracts';
import { decodeMpm, encodeMpm } from '@paylend/emv-qr';
import { Money } from '@paylend/ledger';
import { eventually } from '@paylend/testing';
import { PendingRecovery } from './payment/pending-recovery';
import { WalletPort } from './wallet/wallet-port';
import { OPERATOR, startPaymentsStack, type PaymentsStack } from './testing/payments-stack';
import { startWebhookReceiver } from './testing/webhook-receiver';

jest.setTimeout(120_000);

function value<R>(reply: Reply<R>): R {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

let stack: PaymentsStack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let merchant: { actor: Actor; walletId: string };
let seq = 0;
const run = Date.now().toString(36);
const who = (name: string) => `${name}-${run}`;
const MERCHANT = who('m-lucky');
const id = (p: string) => `${p}-${Date.now().toString(36)}-${++seq}`;

async function balance(walletId: string): Promise<string> {
  const [w] = value(await stack.request(getWalletsCommand, { actor: OPERATOR, walletId }));
  return w!.balance.amount;
}

const delta = (from: string, to: string) => Money.of(to, 'CNY').minus(Money.of(from, 'CNY')).amount;

/** The payer scans a QR and pays from its wallet. */
function scan(payer: { actor: Actor; walletId: string }, qrPayload: string) {
  return stack.request(payQrCommand, { actor: payer.actor, payerWalletId: payer.walletId, qrPayload });
}

async function newOrder(amount: string, expiresInSeconds = 600): Promise<OrderView> {
  return value(
    await stack.request(createOrderCommand, {
      actor: merchant.actor,
      merchantId: MERCHANT,
      orderId: id('o'),
      amount: { amount, currency: 'CNY' },
      reference: 'INV-1',
      expiresInSeconds,
    }),
  );
}

beforeAll(async () => {
  stack = await startPaymentsStack();
  // A merchant endpoint that fails the first two deliveries of every event, then acknowledges.
  receiver = await startWebhookReceiver({ failFirst: 2 });
  merchant = await stack.merchant(MERCHANT, who('merchant-owner'));
  const hook = value(
    await stack.request(configureWebhookCommand, {
      actor: merchant.actor,
      merchantId: MERCHANT,
      url: receiver.url,
    }),
  );
  receiver.addKey(hook.keyId, hook.secret!);
}, 180_000);

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

describe('payments end to end through Kafka, with the real wallet', () => {
  it('a consumer pays a dynamic QR: held, captured into the merchant wallet, fee recorded, webhook signed', async () => {
    const alice = await stack.consumer(who('alice'), '500.00');
    const order = await newOrder('100.00');
    expect(order).toMatchObject({
      status: 'CREATED',
      kind: 'dynamic-qr',
      amount: { amount: '100.00', currency: 'CNY' },
    });
    // Onboarding opened a merchant wallet: the tier table's merchant tier, not a consumer's tier 0.
    const [mw] = value(
      await stack.request(getWalletsCommand, { actor: OPERATOR, walletId: merchant.walletId }),
    );
    expect(mw!.tier).toBe(5);
    const before = await balance(merchant.walletId);
    const paid = value(await scan(alice, order.qrPayload!));
    expect(paid).toMatchObject({
      status: 'SUCCEEDED',
      captured: { amount: '100.00' },
      fee: { amount: '0.60' },
      payerWalletId: alice.walletId,
    });
    expect(await balance(alice.walletId)).toBe('400.00');
    // The wallet booked the fee with the capture (one linked chain): the merchant holds the net at once.
    expect(delta(before, await balance(merchant.walletId))).toBe('99.40');
    await eventually('the merchant processed order.succeeded', () =>
      receiver.processed.some((e) => e.type === 'order.succeeded' && e.data.order.orderId === order.orderId),
    );
    // The merchant's fallback: the order's status on request.
    const seen = value(
      await stack.request(getOrderCommand, { actor: merchant.actor, orderId: order.orderId }),
    );
    expect(seen.status).toBe('SUCCEEDED');
    // A stranger sees nothing.
    const stranger = await stack.request(getOrderCommand, {
      actor: { userId: 'eve', roles: ['consumer'] },
      orderId: order.orderId,
    });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_FOUND' } });
  });

  it('refuses a tampered dynamic QR (amount edited, CRC recomputed) and leaves the order payable', async () => {
    const bob = await stack.consumer(who('bob'), '300.00');
    const order = await newOrder('88.00');
    const decoded = decodeMpm(order.qrPayload!);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const tampered = encodeMpm({ ...decoded.value, transactionAmount: '0.01' });
    expect(decodeMpm(tampered).ok).toBe(true);
    const refused = await scan(bob, tampered);
    expect(refused).toMatchObject({ ok: false, error: { code: 'QR_TAMPERED' } });
    expect(await balance(bob.walletId)).toBe('300.00');
    const paid = value(await scan(bob, order.qrPayload!));
    expect(paid.status).toBe('SUCCEEDED');
    expect(await balance(bob.walletId)).toBe('212.00');
  });

  it('refuses an expired order (clock moved), and the sweeper marks it EXPIRED and notifies', async () => {
    const carol = await stack.consumer(who('carol'), '100.00');
    const order = await newOrder('10.00', 60);
    stack.clock.advance(61_000);
    const refused = await scan(carol, order.qrPayload!);
    expect(refused).toMatchObject({ ok: false, error: { code: 'ORDER_EXPIRED' } });
    await eventually('the sweeper expired the order', async () => {
      const o = value(
        await stack.request(getOrderCommand, { actor: merchant.actor, orderId: order.orderId }),
      );
      return o.status === 'EXPIRED';
    });
    await eventually('the merchant processed order.expired', () =>
      receiver.processed.some((e) => e.type === 'order.expired' && e.data.order.orderId === order.orderId),
    );
    expect(await balance(carol.walletId)).toBe('100.00');
  });

  it('refuses paying an order twice, and a closed order', async () => {
    const dave = await stack.consumer(who('dave'), '100.00');
    const order = await newOrder('20.00');
    value(await scan(dave, order.qrPayload!));
    const again = await scan(dave, order.qrPayload!);
    expect(again).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_PAYABLE' } });
    expect(await balance(dave.walletId)).toBe('80.00');

    const closed = await newOrder('5.00');
    value(await stack.request(closeOrderCommand, { actor: merchant.actor, orderId: closed.orderId }));
    const late = await scan(dave, closed.qrPayload!);
    expect(late).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_PAYABLE' } });
  });

  it('a declined payment (insufficient funds) leaves the order payable by someone else', async () => {
    const poor = await stack.consumer(who('poor'), '1.00');
    const rich = await stack.consumer(who('rich'), '100.00');
    const order = await newOrder('50.00');
    const declined = await scan(poor, order.qrPayload!);
    expect(declined).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_DECLINED', details: { walletError: 'INSUFFICIENT_FUNDS' } },
    });
    // Paying from someone else's wallet: the wallet checks ownership and says it does not exist.
    const foreign = await stack.request(payQrCommand, {
      actor: poor.actor,
      payerWalletId: rich.walletId,
      qrPayload: order.qrPayload!,
    });
    expect(foreign).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_DECLINED', details: { walletError: 'WALLET_NOT_FOUND' } },
    });
    expect(await balance(rich.walletId)).toBe('100.00');
    const paid = value(await scan(rich, order.qrPayload!));
    expect(paid.status).toBe('SUCCEEDED');
  });

  it('20 concurrent attempts to pay one order: exactly one succeeds and one payer is charged', async () => {
    const payers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stack.consumer(who(`racer-${i}`), '50.00')),
    );
    const order = await newOrder('30.00');
    const merchantBefore = await balance(merchant.walletId);
    const replies = await Promise.all(payers.map((p) => scan(p, order.qrPayload!)));
    const ok = replies.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    for (const r of replies) if (!r.ok) expect(r.error.code).toBe('ORDER_NOT_PAYABLE');
    const balances = await Promise.all(payers.map((p) => balance(p.walletId)));
    expect(balances.filter((b) => b === '20.00')).toHaveLength(1);
    expect(balances.filter((b) => b === '50.00')).toHaveLength(19);
    expect(delta(merchantBefore, await balance(merchant.walletId))).toBe('29.82');
  });

  it('refunds: partial, several, never above the capture, idempotent by refund id', async () => {
    const erin = await stack.consumer(who('erin'), '200.00');
    const order = await newOrder('60.00');
    value(await scan(erin, order.qrPayload!));
    expect(await balance(erin.walletId)).toBe('140.00');
    const r1 = id('r');
    const first = value(
      await stack.request(refundOrderCommand, {
        actor: merchant.actor,
        orderId: order.orderId,
        refundId: r1,
        amount: { amount: '25.00', currency: 'CNY' },
      }),
    );
    expect(first).toMatchObject({
      replayed: false,
      order: { status: 'PARTIALLY_REFUNDED', refunded: { amount: '25.00' } },
    });
    const replay = value(
      await stack.request(refundOrderCommand, {
        actor: merchant.actor,
        orderId: order.orderId,
        refundId: r1,
        amount: { amount: '25.00', currency: 'CNY' },
      }),
    );
    expect(replay.replayed).toBe(true);
    const conflict = await stack.request(refundOrderCommand, {
      actor: merchant.actor,
      orderId: order.orderId,
      refundId: r1,
      amount: { amount: '26.00', currency: 'CNY' },
    });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'REFUND_ID_CONFLICT' } });
    const tooMuch = await stack.request(refundOrderCommand, {
      actor: merchant.actor,
      orderId: order.orderId,
      refundId: id('r'),
      amount: { amount: '35.01', currency: 'CNY' },
    });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'REFUND_EXCEEDS_CAPTURED' } });
    const byConsumer = await stack.request(refundOrderCommand, {
      actor: erin.actor,
      orderId: order.orderId,
      refundId: id('r'),
      amount: { amount: '1.00', currency: 'CNY' },
    });
    expect(byConsumer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const rest = value(
      await stack.request(refundOrderCommand, {
        actor: merchant.actor,
        orderId: order.orderId,
        refundId: id('r'),
        amount: { amount: '35.00', currency: 'CNY' },
      }),
    );
    expect(rest.order).toMatchObject({ status: 'REFUNDED', refunded: { amount: '60.00' } });
    expect(await balance(erin.walletId)).toBe('200.00');
    const after = await stack.request(refundOrderCommand, {
      actor: merchant.actor,
      orderId: order.orderId,
      refundId: id('r'),
      amount: { amount: '0.01', currency: 'CNY' },
    });
    expect(after).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_REFUNDABLE' } });
  });

  it('a refund the wallet did not confirm stays pending with its amount reserved, and is paid exactly once', async () => {
    const ivy = await stack.consumer(who('ivy'), '100.00');
    const order = await newOrder('40.00');
    value(await scan(ivy, order.qrPayload!));
    const refund = (refundId: string, amount: string) =>
      stack.request(refundOrderCommand, {
        actor: merchant.actor,
        orderId: order.orderId,
        refundId,
        amount: { amount, currency: 'CNY' },
      });
    const refunded = async () =>
      value(await stack.request(getOrderCommand, { actor: merchant.actor, orderId: order.orderId }));
    const port = stack.payments.app.get(WalletPort);
    const realRefund = port.refund.bind(port);
    const noAnswer = {
      ok: false as const,
      unavailable: true,
      error: { code: 'REQUEST_TIMEOUT', message: 'no reply within the wallet timeout' },
    };
    const wallet = jest.spyOn(port, 'refund');
    try {
      // The wallet pays the refund, and its answer is lost.
      wallet.mockImplementationOnce(async (input) => {
        await realRefund(input);
        return noAnswer;
      });
      const r1 = id('r');
      expect(await refund(r1, '30.00')).toMatchObject({
        ok: false,
        error: { code: 'WALLET_UNAVAILABLE', details: { refundId: r1, pending: true } },
      });
      expect(await balance(ivy.walletId)).toBe('90.00');
      expect(await refunded()).toMatchObject({ status: 'SUCCEEDED', refunded: { amount: '0.00' } });
      // A new refund id cannot pay out what the unconfirmed one may already have paid.
      expect(await refund(id('r'), '10.01')).toMatchObject({
        ok: false,
        error: { code: 'REFUND_EXCEEDS_CAPTURED' },
      });
      // The retry under the same refund id completes it: the wallet replays its transfer.
      expect(value(await refund(r1, '30.00'))).toMatchObject({
        replayed: false,
        order: { status: 'PARTIALLY_REFUNDED', refunded: { amount: '30.00' } },
      });
      expect(await balance(ivy.walletId)).toBe('90.00');

      // Unanswered before the wallet paid: the recovery sweep asks again and it is paid once.
      wallet.mockImplementationOnce(async () => noAnswer);
      const r2 = id('r');
      expect(await refund(r2, '6.00')).toMatchObject({ ok: false, error: { code: 'WALLET_UNAVAILABLE' } });
      expect(await balance(ivy.walletId)).toBe('90.00');
      const pool = stack.payments.runtime.pool;
      const age = async (refundId: string) =>
        pool.query('UPDATE refunds SET created_at = $2 WHERE id = $1', [
          refundId,
          new Date(stack.clock.now().getTime() - 3_600_000),
        ]);
      await age(r2);
      const recovery = stack.payments.app.get(PendingRecovery);
      expect(await recovery.sweep()).toBe(1);
      expect(await balance(ivy.walletId)).toBe('96.00');
      expect(await refunded()).toMatchObject({ refunded: { amount: '36.00' } });

      // Unanswered, then refused when asked again: nothing was paid, so its reservation is given back.
      wallet.mockImplementationOnce(async () => noAnswer);
      const r3 = id('r');
      expect(await refund(r3, '4.00')).toMatchObject({ ok: false, error: { code: 'WALLET_UNAVAILABLE' } });
      expect(await refund(id('r'), '0.01')).toMatchObject({
        ok: false,
        error: { code: 'REFUND_EXCEEDS_CAPTURED' },
      });
      wallet.mockImplementationOnce(async () => ({
        ok: false as const,
        unavailable: false,
        error: { code: 'WALLET_FROZEN', message: 'the merchant wallet is frozen' },
      }));
      await age(r3);
      expect(await recovery.sweep()).toBe(1);
      const { rows } = await pool.query('SELECT id FROM refunds WHERE id = $1', [r3]);
      expect(rows).toEqual([]);
      expect(value(await refund(id('r'), '4.00')).order).toMatchObject({
        status: 'REFUNDED',
        refunded: { amount: '40.00' },
      });
      expect(await balance(ivy.walletId)).toBe('100.00');
      expect(await recovery.sweep()).toBe(0);
    } finally {
      wallet.mockRestore();
    }
  });

  it('a consumer payment code: charged once by the POS, single use, expires with the window, bound to its wallet', async () => {
    const frank = await stack.consumer(who('frank'), '100.00');
    const code = value(
      await stack.request(issuePaymentCodeCommand, { actor: frank.actor, walletId: frank.walletId }),
    );
    expect(code.code).toMatch(/^28[0-9]{16}$/);
    const someoneElse = await stack.request(issuePaymentCodeCommand, {
      actor: { userId: 'mallory', roles: ['consumer'] },
      walletId: frank.walletId,
    });
    expect(someoneElse).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const charged = value(
      await stack.request(chargePaymentCodeCommand, {
        actor: merchant.actor,
        merchantId: MERCHANT,
        orderId: id('c'),
        code: code.code,
        amount: { amount: '12.50', currency: 'CNY' },
      }),
    );
    expect(charged).toMatchObject({
      status: 'SUCCEEDED',
      kind: 'payment-code',
      payerWalletId: frank.walletId,
      fee: { amount: '0.08' },
    });
    expect(await balance(frank.walletId)).toBe('87.50');
    const reused = await stack.request(chargePaymentCodeCommand, {
      actor: merchant.actor,
      merchantId: MERCHANT,
      orderId: id('c'),
      code: code.code,
      amount: { amount: '12.50', currency: 'CNY' },
    });
    expect(reused).toMatchObject({ ok: false, error: { code: 'PAYMENT_CODE_USED' } });

    const stale = value(
      await stack.request(issuePaymentCodeCommand, { actor: frank.actor, walletId: frank.walletId }),
    );
    stack.clock.advance(180_000);
    const expired = await stack.request(chargePaymentCodeCommand, {
      actor: merchant.actor,
      merchantId: MERCHANT,
      orderId: id('c'),
      code: stale.code,
      amount: { amount: '1.00', currency: 'CNY' },
    });
    expect(expired).toMatchObject({ ok: false, error: { code: 'PAYMENT_CODE_EXPIRED' } });
    const fresh = value(
      await stack.request(issuePaymentCodeCommand, { actor: frank.actor, walletId: frank.walletId }),
    );
    expect(fresh.code).not.toBe(stale.code);
    // Too much for the wallet: the decline is recorded (FAILED order) and the code is spent.
    const declined = await stack.request(chargePaymentCodeCommand, {
      actor: merchant.actor,
      merchantId: MERCHANT,
      orderId: id('c'),
      code: fresh.code,
      amount: { amount: '150.00', currency: 'CNY' },
    });
    expect(declined).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_DECLINED', details: { order: { status: 'FAILED' } } },
    });
    expect(await balance(frank.walletId)).toBe('87.50');
  });

  it('a static QR: the payer enters the amount; the merchant lists its orders', async () => {
    const gina = await stack.consumer(who('gina'), '50.00');
    const qr = value(
      await stack.request(createStaticQrCommand, { actor: merchant.actor, merchantId: MERCHANT }),
    );
    const orderId = id('s');
    const paid = value(
      await stack.request(payQrCommand, {
        actor: gina.actor,
        payerWalletId: gina.walletId,
        qrPayload: qr.qrPayload,
        amount: { amount: '7.77', currency: 'CNY' },
        orderId,
      }),
    );
    expect(paid).toMatchObject({ kind: 'static-qr', status: 'SUCCEEDED', amount: { amount: '7.77' } });
    const page = value(
      await stack.request(listOrdersCommand, { actor: merchant.actor, merchantId: MERCHANT, limit: 3 }),
    );
    expect(page.orders).toHaveLength(3);
    expect(page.orders[0]!.orderId).toBe(orderId);
    expect(page.nextCursor).not.toBeNull();
    const next = value(
      await stack.request(listOrdersCommand, {
        actor: merchant.actor,
        merchantId: MERCHANT,
        limit: 3,
        cursor: page.nextCursor!,
      }),
    );
    expect(next.orders.map((o) => o.orderId)).not.toContain(orderId);

    // Declined (the payer is short), then closed by the merchant: the payer's retry is refused, not "paid".
    const jack = await stack.consumer(who('jack'), '1.00');
    const short = id('s');
    const attempt = () =>
      stack.request(payQrCommand, {
        actor: jack.actor,
        payerWalletId: jack.walletId,
        qrPayload: qr.qrPayload,
        amount: { amount: '5.00', currency: 'CNY' },
        orderId: short,
      });
    expect(await attempt()).toMatchObject({ ok: false, error: { code: 'PAYMENT_DECLINED' } });
    value(await stack.request(closeOrderCommand, { actor: merchant.actor, orderId: short }));
    expect(await attempt()).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_PAYABLE' } });
    expect(await balance(jack.walletId)).toBe('1.00');
  });

  it('an order left PENDING by an unanswered capture is finished by a retry or by the recovery sweep', async () => {
    const hank = await stack.consumer(who('hank'), '100.00');
    const pool = stack.payments.runtime.pool;
    /** What a capture timeout leaves behind: a committed PENDING order whose hold the wallet has. */
    async function strandedPending(amount: string): Promise<{ order: OrderView; holdId: string }> {
      const order = await newOrder(amount);
      const holdId = `pay:${order.orderId}:${hank.walletId}`;
      value(
        await stack.request(createHoldCommand, {
          actor: hank.actor,
          holdId,
          walletId: hank.walletId,
          amount: { amount, currency: 'CNY' },
          toWalletId: merchant.walletId,
          reference: order.orderId,
          timeoutSeconds: 600,
        }),
      );
      await pool.query(
        `UPDATE orders SET status = 'PENDING', payer_wallet_id = $2, payer_user_id = $5, hold_id = $3, updated_at = $4 WHERE id = $1`,
        [
          order.orderId,
          hank.walletId,
          holdId,
          new Date(stack.clock.now().getTime() - 3_600_000),
          hank.actor.userId,
        ],
      );
      return { order, holdId };
    }
    const recovery = stack.payments.app.get(PendingRecovery);
    const merchantBefore = await balance(merchant.walletId);

    // The payer retries: the payment continues with the capture of the same hold.
    const retried = await strandedPending('5.00');
    const again = value(await scan(hank, retried.order.qrPayload!));
    expect(again.status).toBe('SUCCEEDED');

    // The sweep: a hold still open is captured; one the wallet captured is completed without a second capture;
    // one the wallet released leaves the QR order payable again.
    const open = await strandedPending('6.00');
    const capturedLate = await strandedPending('7.00');
    value(await stack.request(captureHoldCommand, { actor: OPERATOR, holdId: capturedLate.holdId }));
    const released = await strandedPending('8.00');
    value(await stack.request(voidHoldCommand, { actor: OPERATOR, holdId: released.holdId }));
    expect(await recovery.sweep()).toBe(3);
    const status = async (o: OrderView) =>
      value(await stack.request(getOrderCommand, { actor: merchant.actor, orderId: o.orderId })).status;
    expect(await status(open.order)).toBe('SUCCEEDED');
    expect(await status(capturedLate.order)).toBe('SUCCEEDED');
    expect(await status(released.order)).toBe('CREATED');
    expect(await recovery.sweep()).toBe(0);
    // The order records the fee the wallet booked: the hold the operator captured (without a fee) has none.
    const fee = async (o: OrderView) =>
      value(await stack.request(getOrderCommand, { actor: merchant.actor, orderId: o.orderId })).fee.amount;
    expect([await fee(retried.order), await fee(open.order), await fee(capturedLate.order)]).toEqual([
      '0.03',
      '0.04',
      '0.00',
    ]);
    expect(await balance(hank.walletId)).toBe('82.00');
    expect(delta(merchantBefore, await balance(merchant.walletId))).toBe('17.93');
  });

  it('a webhook receiver that fails twice then succeeds gets each event exactly once after deduplication', async () => {
    await eventually(
      'every queued notification was acknowledged',
      async () => {
        const r = await stack.payments.runtime.pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM webhook_deliveries WHERE delivered_at IS NULL',
        );
        return r.rows[0]!.n === '0';
      },
      30_000,
    );
    const { rows } = await stack.payments.runtime.pool.query<{ event_id: string; attempts: number }>(
      'SELECT event_id, attempts FROM webhook_deliveries',
    );
    expect(rows.length).toBeGreaterThan(5);
    const ids = receiver.processed.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.event_id)));
    for (const r of rows) {
      expect(r.attempts).toBe(3);
      expect(receiver.attempts.get(r.event_id)).toBe(3);
    }
    expect(receiver.rejected).toEqual([]);
  });
});
