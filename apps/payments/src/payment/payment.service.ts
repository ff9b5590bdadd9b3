import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  MoneyDto,
  OrderView,
  PayloadOf,
  chargePaymentCodeCommand,
  payQrCommand,
} from '@paylend/contracts';
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

/**
 * What a payment attempt ends in, all committed: paid; declined and recorded (a FAILED payment-code order);
 * or pending, when the wallet did not answer the capture: the order stays PENDING with its hold, and a
 * retry (same ids) or the recovery sweep finishes it, so money captured late is never lost track of.
 */
export type PaymentOutcome =
  | { kind: 'paid'; order: OrderView }
  | { kind: 'declined'; order: OrderView; walletCode: string; message: string }
  | { kind: 'pending'; order: OrderView; message: string };

/**
 * What a wallet refusal does to the order: `refuse` rolls the attempt back (the caller's savepoint);
 * `release` commits PENDING -> CREATED (a QR order stays payable); `fail` records a FAILED order.
 */
export type OnDecline = 'refuse' | 'release' | 'fail';

/** A QR payment committed as PENDING whose hold and capture run after the commit (see PaymentDriver). */
export interface StartedPayment {
  kind: 'started';
  orderId: string;
  holdId: string;
  holdActor: Actor;
}

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
  async payQr(tx: PoolClient, cmd: PayloadOf<typeof payQrCommand>): Promise<PaymentOutcome | StartedPayment> {
    const scanned = readScannedQr(cmd.qrPayload);
    if (!scanned.ok) throw new PaymentsError(scanned.code, scanned.message);
    const merchant = await merchantRepository.get(tx, scanned.merchantId);
    if (!merchant)
      throw new PaymentsError(
        'MERCHANT_NOT_FOUND',
        `the QR names merchant ${scanned.merchantId}, which PayLend does not know`,
      );
    requireActive(merchant);
    let order: OrderRow;
    if (scanned.dynamic) {
      if (!scanned.orderId)
        throw new PaymentsError('QR_INVALID', 'a dynamic PayLend QR carries its order id in 62/05');
      const o = await orders.get(tx, scanned.orderId, true);
      if (!o || o.merchantId !== merchant.id || o.kind !== 'dynamic-qr') {
        throw new PaymentsError(
          'ORDER_NOT_FOUND',
          `the QR names order ${scanned.orderId}, which this merchant did not issue`,
        );
      }
      if (o.qrPayload !== cmd.qrPayload) {
        throw new PaymentsError(
          'QR_TAMPERED',
          'the scanned QR differs from the one issued for this order; it was not paid',
          {
            orderAmount: Money.fromMinor(o.amountMinor, o.currency).amount,
            scannedAmount:
              scanned.amountMinor === null
                ? null
                : Money.fromMinor(scanned.amountMinor, scanned.currency).amount,
          },
        );
      }
      order = o;
      if (this.resumable(o, cmd.payerWalletId, cmd.actor.userId)) return this.resume(tx, merchant, o);
    } else {
      if (!cmd.amount || !cmd.orderId) {
        throw new PaymentsError(
          'AMOUNT_INVALID',
          'a static QR needs the amount the payer entered and a new order id',
        );
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
      if (this.resumable(order, cmd.payerWalletId, cmd.actor.userId)) return this.resume(tx, merchant, order);
      if (order.status !== 'CREATED') return { kind: 'paid', order: orderView(order) };
    }
    // Committed as PENDING here; the wallet round trips run after the commit, off this Kafka partition.
    const now = this.clock.now();
    const pending = next(order, { type: 'pay', at: now });
    const holdId = `pay:${order.id}:${cmd.payerWalletId}`;
    await orders.save(
      tx,
      order,
      {
        state: pending,
        payerWalletId: cmd.payerWalletId,
        payerUserId: cmd.actor.userId,
        holdId,
        detail: `paying from ${cmd.payerWalletId}`,
      },
      now,
    );
    return { kind: 'started', orderId: order.id, holdId, holdActor: cmd.actor };
  }

  /**
   * The payer retries a PENDING payment: while its first attempt may still be running, say so; once that
   * is surely over, capture the same hold (the wallet replays a capture already made).
   */
  private async resume(tx: PoolClient, merchant: MerchantRow, o: OrderRow): Promise<PaymentOutcome> {
    if (this.clock.now().getTime() - o.updatedAt.getTime() < 2 * this.config.WALLET_TIMEOUT_MS) {
      return { kind: 'pending', order: orderView(o), message: 'this payment is still being processed' };
    }
    return this.capture(tx, merchant, o, 'refuse');
  }

  /**
   * The after-commit half of a QR payment: hold, capture, complete, each outcome committed on `tx` under
   * the order's row lock (a concurrent retry or the recovery sweep may have finished it meanwhile).
   */
  async runStarted(tx: PoolClient, started: StartedPayment): Promise<PaymentOutcome> {
    const lockedOrder = async () => (await orders.get(tx, started.orderId, true))!;
    const settled = async (o: OrderRow): Promise<PaymentOutcome> =>
      o.status === 'SUCCEEDED' || o.status === 'PARTIALLY_REFUNDED' || o.status === 'REFUNDED'
        ? { kind: 'paid', order: orderView(o) }
        : {
            kind: 'declined',
            order: orderView(o),
            walletCode: o.failureCode ?? 'UNKNOWN',
            message: `the order is ${o.status}`,
          };
    const o = await lockedOrder();
    if (o.status !== 'PENDING' || o.holdId !== started.holdId) return settled(o);
    const merchant = (await merchantRepository.get(tx, o.merchantId))!;
    const hold = await this.wallet.hold({
      actor: started.holdActor,
      holdId: started.holdId,
      walletId: o.payerWalletId!,
      amount: Money.fromMinor(o.amountMinor, o.currency).toJSON(),
      toWalletId: merchant.walletId,
      reference: o.id,
      timeoutSeconds: this.config.HOLD_TIMEOUT_SECONDS,
    });
    if (!hold.ok) {
      if (hold.unavailable) {
        // No capture was asked for, so a hold the wallet made late only expires: the order is payable again.
        await orders.save(
          tx,
          o,
          { state: next(o, { type: 'released' }), detail: 'the wallet did not answer the hold' },
          this.clock.now(),
        );
        throw new PaymentsError(
          'WALLET_UNAVAILABLE',
          `the wallet did not answer: ${hold.error.message}; retry the payment`,
        );
      }
      return this.decline(tx, o, hold.error, 'release');
    }
    return this.capture(tx, merchant, o, 'release');
  }

  /** A PENDING order this payer started: the retry continues with the capture of its hold. */
  private resumable(o: OrderRow, payerWalletId: string, userId: string): boolean {
    return (
      o.status === 'PENDING' &&
      o.payerWalletId === payerWalletId &&
      o.payerUserId === userId &&
      o.holdId !== null
    );
  }

  /** The merchant's POS charges a consumer's payment code: verify, burn it, then hold and capture. */
  async chargeCode(tx: PoolClient, cmd: PayloadOf<typeof chargePaymentCodeCommand>): Promise<PaymentOutcome> {
    const merchant = await merchantFor(tx, cmd.actor, cmd.merchantId);
    requireActive(merchant);
    const amount = parsePositive(cmd.amount, merchant.currency, 'the charge');
    const existing = await orders.get(tx, cmd.orderId);
    const hash = requestHash({
      merchantId: merchant.id,
      code: cmd.code,
      amount: amount.amount,
      currency: merchant.currency,
    });
    if (existing) {
      // A retried charge (same order id, same code and amount) answers with the first outcome.
      if (existing.requestHash !== hash)
        throw new PaymentsError('ORDER_EXISTS', `order id ${cmd.orderId} is taken; use a new id`);
      const locked = (await orders.get(tx, existing.id, true))!;
      if (locked.status === 'PENDING' && locked.holdId) return this.capture(tx, merchant, locked, 'fail');
      if (locked.status === 'FAILED') {
        const failed = orderView(locked);
        return {
          kind: 'declined',
          order: failed,
          walletCode: locked.failureCode ?? 'UNKNOWN',
          message: 'the wallet declined this charge',
        };
      }
      return { kind: 'paid', order: orderView(locked) };
    }
    const parts = parsePaymentCode(cmd.code);
    const holder = parts ? await paymentCodeRepository.byToken(tx, parts.token) : null;
    if (!holder)
      throw new PaymentsError('PAYMENT_CODE_INVALID', 'the payment code is not valid for any wallet');
    const now = this.clock.now();
    const check = verifyPaymentCode({
      secret: this.config.PAYMENT_CODE_SECRET,
      code: cmd.code,
      walletId: holder.walletId,
      at: now,
    });
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
      throw new PaymentsError(
        'PAYMENT_CODE_USED',
        'this payment code has already been used; ask the customer for a fresh one',
      );
    }
    return this.settle(tx, merchant, order, {
      holdActor: PAYMENTS_ACTOR,
      payerWalletId: holder.walletId,
      payerUserId: holder.userId,
      onDecline: 'fail',
    });
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
    const hash =
      o.hash ??
      requestHash({ merchantId: merchant.id, kind: o.kind, amount: o.amount.amount, payer: o.payerWalletId });
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
    if (existing.requestHash !== hash)
      throw new PaymentsError('ORDER_EXISTS', `order id ${o.orderId} is taken; use a new id`);
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
    p: { holdActor: Actor; payerWalletId: string; payerUserId: string; onDecline: OnDecline },
  ): Promise<PaymentOutcome> {
    const now = this.clock.now();
    const pending = next(order, { type: 'pay', at: now });
    const holdId = `pay:${order.id}:${p.payerWalletId}`;
    const current = await orders.save(
      tx,
      order,
      {
        state: pending,
        payerWalletId: p.payerWalletId,
        payerUserId: p.payerUserId,
        holdId,
        detail: `paying from ${p.payerWalletId}`,
      },
      now,
    );
    const hold = await this.wallet.hold({
      actor: p.holdActor,
      holdId,
      walletId: p.payerWalletId,
      amount: Money.fromMinor(order.amountMinor, order.currency).toJSON(),
      toWalletId: merchant.walletId,
      reference: order.id,
      timeoutSeconds: this.config.HOLD_TIMEOUT_SECONDS,
    });
    if (!hold.ok) {
      // No capture was asked for, so a hold the wallet made late only expires: nothing to keep PENDING.
      if (hold.unavailable)
        throw new PaymentsError(
          'WALLET_UNAVAILABLE',
          `the wallet did not answer: ${hold.error.message}; retry the payment`,
        );
      return this.decline(tx, current, hold.error, p.onDecline);
    }
    return this.capture(tx, merchant, current, p.onDecline);
  }

  /**
   * Captures the hold of a PENDING order and completes it. If the wallet does not answer, the order stays
   * PENDING (committed) with its hold id: the capture may have happened, so only a retry or the recovery
   * sweep, asking the wallet about that hold, may decide what the order became.
   */
  async capture(
    tx: PoolClient,
    merchant: MerchantRow,
    order: OrderRow,
    onDecline: OnDecline,
  ): Promise<PaymentOutcome> {
    const holdId = order.holdId!;
    const amount = Money.fromMinor(order.amountMinor, order.currency);
    // The wallet books the fee with the capture (one linked chain); the order records what it booked.
    const fee = feeFor(amount, merchant.feeRate);
    const capture = await this.wallet.capture(holdId, amount.toJSON(), fee.toJSON());
    if (!capture.ok && capture.unavailable) {
      return {
        kind: 'pending',
        order: orderView(order),
        message: `the wallet did not confirm the capture: ${capture.error.message}`,
      };
    }
    if (!capture.ok || capture.value.status !== 'captured') {
      const error = capture.ok
        ? { code: 'HOLD_NOT_OPEN', message: `hold ${holdId} is ${capture.value.status}` }
        : capture.error;
      await this.wallet.void(holdId);
      return this.decline(tx, order, error, onDecline);
    }
    return {
      kind: 'paid',
      order: orderView(await this.completeCaptured(tx, order, capture.value)),
    };
  }

  /**
   * PENDING -> SUCCEEDED with the captured amount and the fee as the wallet booked them (a hold captured
   * by someone else, without a fee, records none), announced in the same transaction.
   */
  async completeCaptured(
    tx: PoolClient,
    order: OrderRow,
    hold: { captured: MoneyDto; fee: MoneyDto },
  ): Promise<OrderRow> {
    const captured = Money.of(hold.captured.amount, hold.captured.currency);
    const fee = Money.of(hold.fee.amount, hold.fee.currency);
    const done = next(order, { type: 'captured', captured: captured.toMinor(), fee: fee.toMinor() });
    const at = this.clock.now();
    const saved = await orders.save(
      tx,
      order,
      { state: done, detail: `captured ${captured.amount}, fee ${fee.amount}` },
      at,
    );
    await announceOrder(tx, saved, at);
    return saved;
  }

  /**
   * A refusal by the wallet. A QR order stays payable (someone else's empty wallet must not kill a
   * merchant's order); a payment-code order, which this charge created, is recorded as FAILED.
   */
  async decline(
    tx: PoolClient,
    order: OrderRow,
    error: { code: string; message: string },
    onDecline: OnDecline,
  ): Promise<PaymentOutcome> {
    const refusal = new PaymentsError(
      'PAYMENT_DECLINED',
      `the wallet declined the payment: ${error.message}`,
      { walletError: error.code },
    );
    if (onDecline === 'refuse') throw refusal;
    if (onDecline === 'release') {
      await orders.save(
        tx,
        order,
        { state: next(order, { type: 'released' }), detail: `declined: ${error.code}` },
        this.clock.now(),
      );
      throw refusal;
    }
    const at = this.clock.now();
    const failed = await orders.save(
      tx,
      order,
      { state: next(order, { type: 'declined' }), failureCode: error.code, detail: error.message },
      at,
    );
    await announceOrder(tx, failed, at);
    return {
      kind: 'declined',
      order: orderView(failed),
      walletCode: error.code,
      message: `the wallet declined the payment: ${error.message}`,
    };
  }
}
