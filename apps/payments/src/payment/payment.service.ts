import { Inject, Injectable } from '@nestjs/common';
import type { Actor, OrderView, PayloadOf, chargePaymentCodeCommand, payQrCommand } from '@paylend/contracts';
import { Money } from '@paylend/ledger';
import type { PoolClient } from 'pg';
import { parsePositive } from '../common/amounts';
import { CLOCK, type Clock } from '../common/clock';
import { PaymentsError } from '../common/payments-error';
import { requestHash } from '../common/request-hash';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { feeFor } from '../merchant/fee';
import { merchantFor, requireActive } from '../merchant/merchant.service';
import { merchantRepository, type MerchantRow } from '../merchant/merchant.repository';
import { announceOrder } from '../order/order-events';
import { orderRepository as orders, orderView, type OrderRow } from '../order/order.repository';
import { next } from '../order/order.service';
import { paymentCodeRepository } from '../payment-code/payment-code.repository';
import { parsePaymentCode, verifyPaymentCode } from '../payment-code/payment-code';
import { readScannedQr } from '../qr/merchant-qr';
import { PAYMENTS_ACTOR, WalletPort } from '../wallet/wallet-port';

/** What a payment attempt ends in: the paid order, or a decline that was recorded (a FAILED order). */
export type PaymentOutcome = { ok: true; order: OrderView } | { ok: false; order: OrderView; walletCode: string; message: string };

@Injectable()
export class PaymentService {
  constructor(
    @Inject(WalletPort) private readonly wallet: WalletPort,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  /**
   * Scan and pay. A dynamic QR pays the server's own order, and a payload that differs from the one issued
   * (an edited amount with a recomputed CRC, say) is refused; a static QR opens a new order for the amount
   * the payer typed. A decline leaves a QR order payable (someone else's empty wallet must not kill it).
   */
  async payQr(tx: PoolClient, cmd: PayloadOf<typeof payQrCommand>): Promise<OrderView> {
    const scanned = readScannedQr(cmd.qrPayload);
    if (!scanned.ok) throw new PaymentsError(scanned.code, scanned.message);
    const merchant = await merchantRepository.get(tx, scanned.merchantId);
    if (!merchant) throw new PaymentsError('MERCHANT_NOT_FOUND', `the QR names merchant ${scanned.merchantId}, which PayLend does not know`);
    requireActive(merchant);
    let order: OrderRow;
    if (scanned.dynamic) {
      if (!scanned.orderId) throw new PaymentsError('QR_INVALID', 'a dynamic PayLend QR carries its order id in 62/05');
      const o = await orders.get(tx, scanned.orderId, true);
      if (!o || o.merchantId !== merchant.id || o.kind !== 'dynamic-qr') {
        throw new PaymentsError('ORDER_NOT_FOUND', `the QR names order ${scanned.orderId}, which this merchant did not issue`);
      }
      if (o.qrPayload !== cmd.qrPayload) {
        throw new PaymentsError('QR_TAMPERED', 'the scanned QR differs from the one issued for this order; it was not paid', {
          orderAmount: Money.fromMinor(o.amountMinor, o.currency).amount,
          scannedAmount: scanned.amountMinor === null ? null : Money.fromMinor(scanned.amountMinor, scanned.currency).amount,
        });
      }
      order = o;
    } else {
      if (!cmd.amount || !cmd.orderId) {
        throw new PaymentsError('AMOUNT_INVALID', 'a static QR needs the amount the payer entered and a new order id');
      }
      order = await this.openOrder(tx, merchant, {
        orderId: cmd.orderId,
        kind: 'static-qr',
        amount: parsePositive(cmd.amount, merchant.currency, 'the amount entered'),
        reference: null,
        payerWalletId: cmd.payerWalletId,
        payerUserId: cmd.actor.userId,
        qrPayload: cmd.qrPayload,
      });
      if (order.status !== 'CREATED') return orderView(order);
    }
    const outcome = await this.settle(tx, merchant, order, {
      holdActor: cmd.actor,
      payerWalletId: cmd.payerWalletId,
      payerUserId: cmd.actor.userId,
      failOnDecline: false,
    });
    return outcome;
  }

  /** The merchant's POS charges a consumer's payment code: verify, burn it, then hold and capture. */
  async chargeCode(tx: PoolClient, cmd: PayloadOf<typeof chargePaymentCodeCommand>): Promise<{ order: OrderView; declined: null | { walletCode: string; message: string } }> {
    const merchant = await merchantFor(tx, cmd.actor, cmd.merchantId);
    requireActive(merchant);
    const amount = parsePositive(cmd.amount, merchant.currency, 'the charge');
    const existing = await orders.get(tx, cmd.orderId);
    const hash = requestHash({ merchantId: merchant.id, code: cmd.code, amount: amount.amount, currency: merchant.currency });
    if (existing) {
      // A retried charge (same order id, same code and amount) answers with the first outcome.
      if (existing.requestHash !== hash) throw new PaymentsError('ORDER_EXISTS', `order id ${cmd.orderId} is taken; use a new id`);
      return { order: orderView(existing), declined: null };
    }
    const parts = parsePaymentCode(cmd.code);
    const holder = parts ? await paymentCodeRepository.byToken(tx, parts.token) : null;
    if (!holder) throw new PaymentsError('PAYMENT_CODE_INVALID', 'the payment code is not valid for any wallet');
    const now = this.clock.now();
    const check = verifyPaymentCode({ secret: this.config.PAYMENT_CODE_SECRET, code: cmd.code, walletId: holder.walletId, at: now });
    if (!check.ok) throw new PaymentsError(check.code, check.message);
    const order = await this.openOrder(tx, merchant, {
      orderId: cmd.orderId,
      kind: 'payment-code',
      amount,
      reference: cmd.reference ?? null,
      payerWalletId: holder.walletId,
      payerUserId: holder.userId,
      qrPayload: null,
      hash,
    });
    if (!(await paymentCodeRepository.markUsed(tx, cmd.code, holder.walletId, order.id, now))) {
      throw new PaymentsError('PAYMENT_CODE_USED', 'this payment code has already been used; ask the customer for a fresh one');
    }
    try {
      return {
        order: await this.settle(tx, merchant, order, {
          holdActor: PAYMENTS_ACTOR,
          payerWalletId: holder.walletId,
          payerUserId: holder.userId,
          failOnDecline: true,
        }),
        declined: null,
      };
    } catch (err) {
      if (err instanceof DeclineRecorded) return { order: err.order, declined: { walletCode: err.walletCode, message: err.message } };
      throw err;
    }
  }

  private async openOrder(
    tx: PoolClient,
    merchant: MerchantRow,
    o: {
      orderId: string;
      kind: 'static-qr' | 'payment-code';
      amount: Money;
      reference: string | null;
      payerWalletId: string;
      payerUserId: string;
      qrPayload: string | null;
      hash?: string;
    },
  ): Promise<OrderRow> {
    const hash = o.hash ?? requestHash({ merchantId: merchant.id, kind: o.kind, amount: o.amount.amount, payer: o.payerWalletId });
    const now = this.clock.now();
    const inserted = await orders.insert(tx, {
      id: o.orderId,
      merchantId: merchant.id,
      kind: o.kind,
      status: 'CREATED',
      currency: merchant.currency,
      amountMinor: o.amount.toMinor(),
      reference: o.reference,
      qrPayload: o.qrPayload,
      payerWalletId: o.payerWalletId,
      payerUserId: o.payerUserId,
      expiresAt: null,
      createdAt: now,
      requestHash: hash,
    });
    if (inserted) return inserted;
    const existing = (await orders.get(tx, o.orderId, true))!;
    if (existing.requestHash !== hash) throw new PaymentsError('ORDER_EXISTS', `order id ${o.orderId} is taken; use a new id`);
    return existing;
  }

  /**
   * CREATED -> PENDING -> hold on the payer's wallet -> capture into the merchant's wallet -> SUCCEEDED,
   * all under the order's row lock, so concurrent attempts on one order queue and only the first pays.
   * The hold id is per order and payer: a retry after a timeout finds the same hold instead of a second.
   */
  private async settle(
    tx: PoolClient,
    merchant: MerchantRow,
    order: OrderRow,
    p: { holdActor: Actor; payerWalletId: string; payerUserId: string; failOnDecline: boolean },
  ): Promise<OrderView> {
    const now = this.clock.now();
    const pending = next(order, { type: 'pay', at: now });
    const holdId = `pay:${order.id}:${p.payerWalletId}`;
    let current = await orders.save(
      tx,
      order,
      { state: pending, payerWalletId: p.payerWalletId, payerUserId: p.payerUserId, holdId, detail: `paying from ${p.payerWalletId}` },
      now,
    );
    const amount = Money.fromMinor(order.amountMinor, order.currency);
    const hold = await this.wallet.hold({
      actor: p.holdActor,
      holdId,
      walletId: p.payerWalletId,
      amount: amount.toJSON(),
      toWalletId: merchant.walletId,
      reference: order.id,
      timeoutSeconds: this.config.HOLD_TIMEOUT_SECONDS,
    });
    if (!hold.ok) return this.decline(tx, current, hold.error, hold.unavailable, p.failOnDecline);
    const capture = await this.wallet.capture(holdId, amount.toJSON());
    if (!capture.ok || capture.value.status !== 'captured') {
      const error = capture.ok
        ? { code: 'HOLD_NOT_OPEN', message: `hold ${holdId} is ${capture.value.status}` }
        : capture.error;
      if (!(capture.ok === false && capture.unavailable)) await this.wallet.void(holdId);
      return this.decline(tx, current, error, !capture.ok && capture.unavailable, p.failOnDecline);
    }
    const captured = Money.of(capture.value.captured.amount, capture.value.captured.currency);
    const fee = feeFor(captured, merchant.feeRate);
    const done = next(current, { type: 'captured', captured: captured.toMinor(), fee: fee.toMinor() });
    const at = this.clock.now();
    current = await orders.save(tx, current, { state: done, detail: `captured ${captured.amount}, fee ${fee.amount}` }, at);
    await announceOrder(tx, current, at);
    return orderView(current);
  }

  private async decline(
    tx: PoolClient,
    order: OrderRow,
    error: { code: string; message: string },
    unavailable: boolean,
    record: boolean,
  ): Promise<never> {
    if (unavailable) {
      // Nothing is recorded: the order stays as it was and the caller may retry with the same ids.
      throw new PaymentsError('WALLET_UNAVAILABLE', `the wallet did not answer: ${error.message}; retry the payment`);
    }
    if (!record) {
      throw new PaymentsError('PAYMENT_DECLINED', `the wallet declined the payment: ${error.message}`, { walletError: error.code });
    }
    const at = this.clock.now();
    const failed = await orders.save(tx, order, { state: next(order, { type: 'declined' }), failureCode: error.code, detail: error.message }, at);
    await announceOrder(tx, failed, at);
    throw new DeclineRecorded(orderView(failed), error.code, `the wallet declined the payment: ${error.message}`);
  }
}

/** A decline that is kept (the FAILED order commits) and still answered as a refusal. */
export class DeclineRecorded extends Error {
  constructor(
    readonly order: OrderView,
    readonly walletCode: string,
    message: string,
  ) {
    super(message);
  }
}
