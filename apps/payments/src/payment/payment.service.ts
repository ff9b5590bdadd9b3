import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  ErrorBody,
  HoldView,
  MoneyDto,
  OrderView,
  PayloadOf,
  Reply,
  chargePaymentCodeCommand,
  payQrCommand,
} from '@paylend/contracts';
import { Money } from '@paylend/ledger';
import type { PoolClient } from 'pg';
import { parsePositive } from '../common/amounts';
import { CLOCK, type Clock } from '../common/clock';
import { PaymentsError, replyOf } from '../common/payments-error';
import { requestHash } from '../common/request-hash';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { feeFor } from '../merchant/fee';
import { merchantFor, requireActive } from '../merchant/merchant.service';
import { merchantRepository, type MerchantRow } from '../merchant/merchant.repository';
import { announceOrder, announceOrders } from '../order/order-events';
import {
  orderRepository as orders,
  orderView,
  type OrderChange,
  type OrderRow,
} from '../order/order.repository';
import { next } from '../order/order.service';
import { paymentCodeRepository } from '../payment-code/payment-code.repository';
import { parsePaymentCode, verifyPaymentCode } from '../payment-code/payment-code';
import { readScannedQr } from '../qr/merchant-qr';
import { PAYMENTS_ACTOR, WalletPort, type WalletResult } from '../wallet/wallet-port';
import { replyOfOutcome, type PaymentOutcome } from './payment-outcome';

export type { PaymentOutcome } from './payment-outcome';

/**
 * What a wallet refusal does to the order: `refuse` rolls the attempt back (the caller's savepoint);
 * `release` commits PENDING -> CREATED (a QR order stays payable); `fail` records a FAILED order.
 */
export type OnDecline = 'refuse' | 'release' | 'fail';

/**
 * A QR payment committed as PENDING whose hold and capture run after the commit (see PaymentDriver). It
 * carries what the wallet half needs, so the driver asks the wallet without reading the order first.
 */
export interface StartedPayment {
  kind: 'started';
  orderId: string;
  holdId: string;
  holdActor: Actor;
  payerWalletId: string;
  merchantWalletId: string;
  amount: MoneyDto;
  fee: MoneyDto;
  /**
   * The wallet refuses the payment's hold-and-capture after this (one wallet timeout after the order went
   * PENDING), so by the time a retry or the recovery sweep may settle the order (two timeouts after), no
   * delivery still in flight can capture money for it.
   */
  notAfter: string;
}

/** What the wallet did with a started payment's hold-and-capture (see walletHalfOf). */
export type WalletHalf =
  | { kind: 'captured'; hold: HoldView }
  /** No answer: the capture may have happened, so the order stays PENDING for a retry or the recovery sweep. */
  | { kind: 'unavailable'; error: ErrorBody }
  /** Refused with nothing done: the order is payable again. */
  | { kind: 'declined'; error: ErrorBody };

type PayReply = Reply<PaymentOutcome | StartedPayment>;

/** The order a dynamic QR names, if it is the one this merchant issued with exactly this payload. */
function issuedOrder(
  merchant: MerchantRow,
  scanned: { orderId: string | null; amountMinor: bigint | null; currency: string },
  o: OrderRow | null | undefined,
  qrPayload: string,
): OrderRow {
  if (!scanned.orderId)
    throw new PaymentsError('QR_INVALID', 'a dynamic PayLend QR carries its order id in 62/05');
  if (!o || o.merchantId !== merchant.id || o.kind !== 'dynamic-qr') {
    throw new PaymentsError(
      'ORDER_NOT_FOUND',
      `the QR names order ${scanned.orderId}, which this merchant did not issue`,
    );
  }
  if (o.qrPayload !== qrPayload) {
    throw new PaymentsError(
      'QR_TAMPERED',
      'the scanned QR differs from the one issued for this order; it was not paid',
      {
        orderAmount: Money.fromMinor(o.amountMinor, o.currency).amount,
        scannedAmount:
          scanned.amountMinor === null ? null : Money.fromMinor(scanned.amountMinor, scanned.currency).amount,
      },
    );
  }
  return o;
}

function payableMerchant(merchant: MerchantRow | null | undefined, merchantId: string): MerchantRow {
  if (!merchant)
    throw new PaymentsError(
      'MERCHANT_NOT_FOUND',
      `the QR names merchant ${merchantId}, which PayLend does not know`,
    );
  requireActive(merchant);
  return merchant;
}

/** The refusal a wallet decline is answered with. */
function declinedError(error: { code: string; message: string }): PaymentsError {
  return new PaymentsError('PAYMENT_DECLINED', `the wallet declined the payment: ${error.message}`, {
    walletError: error.code,
  });
}

const isPaid = (o: OrderRow) =>
  o.status === 'SUCCEEDED' || o.status === 'PARTIALLY_REFUNDED' || o.status === 'REFUNDED';

/** An order someone else already moved on from PENDING (a retry or the recovery sweep) as an outcome. */
function settledOutcome(o: OrderRow): PaymentOutcome {
  return isPaid(o)
    ? { kind: 'paid', order: orderView(o) }
    : {
        kind: 'declined',
        order: orderView(o),
        walletCode: o.failureCode ?? 'UNKNOWN',
        message: `the order is ${o.status}`,
      };
}

/** Classifies the wallet's answer to a hold-and-capture. */
export function walletHalfOf(r: WalletResult<HoldView>): WalletHalf {
  if (!r.ok)
    return r.unavailable ? { kind: 'unavailable', error: r.error } : { kind: 'declined', error: r.error };
  if (r.value.status !== 'captured') {
    // Only a replay can find the hold otherwise (released by someone else): nothing was captured.
    return {
      kind: 'declined',
      error: { code: 'HOLD_NOT_OPEN', message: `hold ${r.value.holdId} is ${r.value.status}` },
    };
  }
  return { kind: 'captured', hold: r.value };
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
    const merchant = payableMerchant(
      await merchantRepository.get(tx, scanned.merchantId),
      scanned.merchantId,
    );
    let order: OrderRow;
    if (scanned.dynamic) {
      const o = scanned.orderId ? await orders.get(tx, scanned.orderId, true) : null;
      order = issuedOrder(merchant, scanned, o, cmd.qrPayload);
      if (this.resumable(order, cmd.payerWalletId, cmd.actor.userId)) return this.resume(tx, merchant, order);
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
      // A retry of this payment answers as it was paid; an order closed or expired meanwhile is refused below.
      if (isPaid(order)) return { kind: 'paid', order: orderView(order) };
    }
    // Committed as PENDING here; the wallet round trips run after the commit, off this Kafka partition.
    const now = this.clock.now();
    const { change, started } = this.startOf(merchant, order, cmd, now);
    await orders.save(tx, order, change, now);
    return started;
  }

  /**
   * payQr for a chunk of commands on one transaction, with the same rules and the same replies as applying
   * them one at a time in order. Dynamic-QR payments, the common case, are set-based: merchants and orders
   * are read (orders row-locked) in one statement each and every CREATED -> PENDING written in one; each
   * command is judged against the orders as the commands before it left them, so of several attempts on
   * one order only the first starts it. Static QRs (each opens its own order) and late retries of a PENDING
   * order go through payQr one by one after that.
   */
  async payQrMany(tx: PoolClient, cmds: ReadonlyArray<PayloadOf<typeof payQrCommand>>): Promise<PayReply[]> {
    const now = this.clock.now();
    const results: Array<PayReply | undefined> = new Array(cmds.length);
    const dynamic = cmds.flatMap((cmd, i) => {
      const scanned = readScannedQr(cmd.qrPayload);
      return scanned.ok && scanned.dynamic ? [{ i, cmd, scanned }] : [];
    });
    const merchants = await merchantRepository.getMany(
      tx,
      dynamic.map((d) => d.scanned.merchantId),
    );
    const current = await orders.getMany(
      tx,
      dynamic.flatMap((d) => (d.scanned.orderId ? [d.scanned.orderId] : [])),
      true,
    );
    const changes = new Map<string, { before: OrderRow; change: OrderChange }>();
    for (const { i, cmd, scanned } of dynamic) {
      try {
        const merchant = payableMerchant(merchants.get(scanned.merchantId), scanned.merchantId);
        const o = issuedOrder(merchant, scanned, current.get(scanned.orderId ?? ''), cmd.qrPayload);
        if (this.resumable(o, cmd.payerWalletId, cmd.actor.userId)) {
          const young = this.stillRunning(o);
          if (young) results[i] = { ok: true, value: young };
          continue; // an old one captures now, through payQr below
        }
        const { change, started } = this.startOf(merchant, o, cmd, now);
        changes.set(o.id, { before: o, change });
        current.set(o.id, {
          ...o,
          status: change.state.status,
          payerWalletId: cmd.payerWalletId,
          payerUserId: cmd.actor.userId,
          holdId: started.holdId,
          updatedAt: now,
        });
        results[i] = { ok: true, value: started };
      } catch (err) {
        if (!(err instanceof PaymentsError)) throw err;
        results[i] = { ok: false, error: err.toBody() };
      }
    }
    await orders.saveMany(tx, [...changes.values()], now);
    for (let i = 0; i < cmds.length; i++) {
      results[i] ??= await replyOf(tx, () => this.payQr(tx, cmds[i]!));
    }
    return results as PayReply[];
  }

  /** CREATED -> PENDING for this payer, and the wallet half the driver will run for it. */
  private startOf(
    merchant: MerchantRow,
    order: OrderRow,
    cmd: PayloadOf<typeof payQrCommand>,
    now: Date,
  ): { change: OrderChange; started: StartedPayment } {
    const state = next(order, { type: 'pay', at: now });
    const holdId = `pay:${order.id}:${cmd.payerWalletId}`;
    const amount = Money.fromMinor(order.amountMinor, order.currency);
    return {
      change: {
        state,
        payerWalletId: cmd.payerWalletId,
        payerUserId: cmd.actor.userId,
        holdId,
        detail: `paying from ${cmd.payerWalletId}`,
      },
      started: {
        kind: 'started',
        orderId: order.id,
        holdId,
        holdActor: cmd.actor,
        payerWalletId: cmd.payerWalletId,
        merchantWalletId: merchant.walletId,
        amount: amount.toJSON(),
        // The wallet books the fee with the capture (one linked chain); the order records what it booked.
        fee: feeFor(amount, merchant.feeRate).toJSON(),
        notAfter: new Date(now.getTime() + this.config.WALLET_TIMEOUT_MS).toISOString(),
      },
    };
  }

  /** While a PENDING payment's first attempt may still be running, a retry is told so. */
  private stillRunning(o: OrderRow): PaymentOutcome | undefined {
    return this.clock.now().getTime() - o.updatedAt.getTime() < 2 * this.config.WALLET_TIMEOUT_MS
      ? { kind: 'pending', order: orderView(o), message: 'this payment is still being processed' }
      : undefined;
  }

  /**
   * The payer retries a PENDING payment: while its first attempt may still be running, say so; once that
   * is surely over, capture the same hold (the wallet replays a capture already made).
   */
  private async resume(tx: PoolClient, merchant: MerchantRow, o: OrderRow): Promise<PaymentOutcome> {
    return this.stillRunning(o) ?? this.capture(tx, merchant, o, 'refuse');
  }

  /**
   * The after-commit half of QR payments, for a batch: each started order, row-locked, becomes what the
   * wallet did with its hold and capture, all in one transaction (orders, history and announcements written
   * set-based). An order a retry or the recovery sweep finished meanwhile is answered as it stands.
   */
  async completeStarted(
    tx: PoolClient,
    items: ReadonlyArray<{ started: StartedPayment; half: WalletHalf }>,
  ): Promise<Array<Reply<OrderView>>> {
    const now = this.clock.now();
    const rows = await orders.getMany(
      tx,
      items.map((x) => x.started.orderId),
      true,
    );
    const replies: Array<Reply<OrderView> | undefined> = new Array(items.length);
    const changes: Array<{ before: OrderRow; change: OrderChange; index: number }> = [];
    items.forEach(({ started, half }, index) => {
      const o = rows.get(started.orderId);
      if (!o) throw new Error(`started order ${started.orderId} is missing`);
      if (o.status !== 'PENDING' || o.holdId !== started.holdId) {
        replies[index] = replyOfOutcome(settledOutcome(o));
        return;
      }
      try {
        switch (half.kind) {
          case 'captured': {
            const captured = Money.of(half.hold.captured.amount, half.hold.captured.currency);
            const fee = Money.of(half.hold.fee.amount, half.hold.fee.currency);
            const state = next(o, { type: 'captured', captured: captured.toMinor(), fee: fee.toMinor() });
            changes.push({
              before: o,
              change: { state, detail: `captured ${captured.amount}, fee ${fee.amount}` },
              index,
            });
            return;
          }
          case 'unavailable':
            // The capture may have happened: only a retry or the recovery sweep, asking the wallet, decides.
            replies[index] = replyOfOutcome({
              kind: 'pending',
              order: orderView(o),
              message: `the wallet did not confirm the capture: ${half.error.message}`,
            });
            return;
          case 'declined':
            changes.push({
              before: o,
              change: { state: next(o, { type: 'released' }), detail: `declined: ${half.error.code}` },
              index,
            });
            replies[index] = { ok: false, error: declinedError(half.error).toBody() };
            return;
        }
      } catch (err) {
        if (!(err instanceof PaymentsError)) throw err;
        replies[index] = { ok: false, error: err.toBody() };
      }
    });
    const saved = await orders.saveMany(tx, changes, now);
    const succeeded = saved.filter((o) => o.status === 'SUCCEEDED');
    await announceOrders(
      tx,
      succeeded.map((order) => ({ order })),
      now,
    );
    saved.forEach((o, k) => {
      if (o.status === 'SUCCEEDED') replies[changes[k]!.index] = { ok: true, value: orderView(o) };
    });
    return replies as Array<Reply<OrderView>>;
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
    const refusal = declinedError(error);
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
