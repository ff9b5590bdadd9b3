import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  OrderStatus,
  OrderView,
  PayloadOf,
  RefundView,
  Reply,
  createOrderCommand,
  listOrdersCommand,
  refundOrderCommand,
} from '@paylend/contracts';
import { Money } from '@paylend/ledger';
import type { PoolClient } from 'pg';
import { parsePositive } from '../common/amounts';
import { ownsMerchant } from '../common/actor-access';
import { CLOCK, type Clock } from '../common/clock';
import { PaymentsError } from '../common/payments-error';
import { requestHash } from '../common/request-hash';
import type { Sql } from '../common/sql';
import { merchantFor, requireActive } from '../merchant/merchant.service';
import { merchantRepository, type MerchantRow } from '../merchant/merchant.repository';
import { dynamicQrPayload } from '../qr/merchant-qr';
import { WalletPort } from '../wallet/wallet-port';
import { announceOrder } from './order-events';
import { isExpired, transition, type OrderEvent } from './order-state';
import { orderRepository as repo, orderView, stateOf, type OrderRow } from './order.repository';
import { refundRepository, type RefundRow } from './refund.repository';

/** Applies an event through the state machine, or refuses with the machine's code. */
export function next(order: OrderRow, event: OrderEvent) {
  const r = transition(stateOf(order), event);
  if (!r.ok) {
    const code = r.code === 'TRANSITION_INVALID' ? 'ORDER_NOT_PAYABLE' : r.code;
    throw new PaymentsError(code, `order ${order.id}: ${r.message}`);
  }
  return r.state;
}

/** An order the actor may see: its merchant's owner, an operator, or the consumer who paid it. */
async function orderFor(sql: Sql, actor: Actor, orderId: string, lock: boolean): Promise<OrderRow> {
  const o = await repo.get(sql, orderId, lock);
  if (o) {
    const m = await merchantRepository.get(sql, o.merchantId);
    if (ownsMerchant(actor, m) || (o.payerUserId !== null && o.payerUserId === actor.userId)) return o;
  }
  throw new PaymentsError('ORDER_NOT_FOUND', `no order ${orderId} that you can access`);
}

const CURSOR = /^([0-9]{13})_(.+)$/;

@Injectable()
export class OrderService {
  constructor(
    @Inject(WalletPort) private readonly wallet: WalletPort,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A dynamic QR: one order with its amount, reference and expiry. Idempotent by order id. */
  async create(
    tx: PoolClient,
    cmd: PayloadOf<typeof createOrderCommand>,
  ): Promise<OrderView & { created: boolean }> {
    const m = await merchantFor(tx, cmd.actor, cmd.merchantId);
    requireActive(m);
    const amount = parsePositive(cmd.amount, m.currency, 'the order amount');
    const hash = requestHash({
      merchantId: m.id,
      amount: amount.amount,
      currency: m.currency,
      reference: cmd.reference ?? null,
      expiresInSeconds: cmd.expiresInSeconds,
    });
    const now = this.clock.now();
    const reference = cmd.reference ?? null;
    const inserted = await repo.insert(tx, {
      id: cmd.orderId,
      merchantId: m.id,
      kind: 'dynamic-qr',
      status: 'CREATED',
      currency: m.currency,
      amountMinor: amount.toMinor(),
      reference,
      qrPayload: dynamicQrPayload(m, { orderId: cmd.orderId, amountMinor: amount.toMinor(), reference }),
      payerWalletId: null,
      payerUserId: null,
      expiresAt: new Date(now.getTime() + cmd.expiresInSeconds * 1000),
      createdAt: now,
      requestHash: hash,
    });
    if (inserted) return { ...orderView(inserted), created: true };
    const existing = (await repo.get(tx, cmd.orderId))!;
    if (existing.requestHash !== hash || existing.merchantId !== m.id) {
      throw new PaymentsError(
        'ORDER_EXISTS',
        `order id ${cmd.orderId} is taken by another order; use a new id`,
      );
    }
    return { ...orderView(existing), created: false };
  }

  /** The order's status: the fallback for merchants that missed a webhook. Expires it first if it is due. */
  async get(tx: PoolClient, actor: Actor, orderId: string): Promise<OrderView> {
    let o = await orderFor(tx, actor, orderId, false);
    if (o.status === 'CREATED' && isExpired(stateOf(o), this.clock.now())) {
      // Read again under the row lock: the expiry sweeper (or a payment) may have moved it meanwhile.
      const locked = (await repo.get(tx, orderId, true))!;
      o = locked.status === 'CREATED' ? await this.expire(tx, locked) : locked;
    }
    return orderView(o);
  }

  async list(
    tx: PoolClient,
    cmd: PayloadOf<typeof listOrdersCommand>,
  ): Promise<{ orders: OrderView[]; nextCursor: string | null }> {
    const m = await merchantFor(tx, cmd.actor, cmd.merchantId);
    let after: { createdAt: Date; id: string } | undefined;
    if (cmd.cursor) {
      const c = CURSOR.exec(cmd.cursor);
      if (!c)
        throw new PaymentsError(
          'CURSOR_INVALID',
          'the cursor is not one this service returned; start without it',
        );
      after = { createdAt: new Date(Number(c[1])), id: c[2]! };
    }
    const limit = cmd.limit ?? 50;
    const rows = await repo.list(tx, {
      merchantId: m.id,
      status: cmd.status as OrderStatus | undefined,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      orders: page.map(orderView),
      nextCursor:
        rows.length > limit && last
          ? `${String(last.createdAt.getTime()).padStart(13, '0')}_${last.id}`
          : null,
    };
  }

  async close(tx: PoolClient, actor: Actor, orderId: string): Promise<OrderView> {
    const o = await orderFor(tx, actor, orderId, true);
    const m = await merchantRepository.get(tx, o.merchantId);
    if (!ownsMerchant(actor, m)) throw new PaymentsError('FORBIDDEN', 'only the merchant closes its orders');
    const state = next(o, { type: 'close' });
    return orderView(await repo.save(tx, o, { state, detail: 'closed by merchant' }, this.clock.now()));
  }

  /** Expires a locked, due order and announces it. */
  async expire(tx: PoolClient, o: OrderRow): Promise<OrderRow> {
    const now = this.clock.now();
    const state = next(o, { type: 'expire', at: now });
    const saved = await repo.save(tx, o, { state, detail: 'expired on read' }, now);
    await announceOrder(tx, saved, now);
    return saved;
  }

  /**
   * Refunds part or all of a capture from the merchant's wallet to the payer. Idempotent by refund id; the
   * state machine (and a CHECK constraint) refuse refunds above what was captured, counting what pending
   * refunds reserve. The refund is written `pending` before the wallet is asked (transfer `refund:<id>`,
   * so asking again never pays twice). When the wallet does not answer, the transfer may have happened:
   * the pending refund is kept, with its amount reserved, and the reply says so (an error that does not
   * undo it); a retry with the same refund id, or the refund recovery sweep, asks the wallet again.
   */
  async refund(tx: PoolClient, cmd: PayloadOf<typeof refundOrderCommand>): Promise<Reply<RefundView>> {
    const o = await orderFor(tx, cmd.actor, cmd.orderId, true);
    const m = (await merchantRepository.get(tx, o.merchantId))!;
    if (!ownsMerchant(cmd.actor, m))
      throw new PaymentsError('FORBIDDEN', 'only the merchant refunds its orders');
    const amount = parsePositive(cmd.amount, o.currency, 'the refund amount');
    const hash = requestHash({ orderId: o.id, amount: amount.amount, currency: o.currency });
    const prior = await refundRepository.get(tx, cmd.refundId);
    if (prior) {
      if (prior.requestHash !== hash) {
        throw new PaymentsError(
          'REFUND_ID_CONFLICT',
          `refund id ${cmd.refundId} was used for another refund; use a new id`,
        );
      }
      if (prior.status === 'succeeded') return { ok: true, value: refundView(prior, o, true) };
      return this.payRefund(tx, o, m, prior);
    }
    if (!o.payerUserId)
      throw new PaymentsError('ORDER_NOT_REFUNDABLE', `order ${o.id} has no payer to refund`);
    // Refused here, before anything is written, when it would go above the capture with what is pending.
    next(o, {
      type: 'refund',
      amount: amount.toMinor(),
      reserved: await refundRepository.reservedFor(tx, o.id),
    });
    const pending = await refundRepository.insert(tx, {
      id: cmd.refundId,
      orderId: o.id,
      amountMinor: amount.toMinor(),
      currency: o.currency,
      reason: cmd.reason ?? null,
      requestHash: hash,
      createdAt: this.clock.now(),
      status: 'pending',
    });
    return this.payRefund(tx, o, m, pending);
  }

  /**
   * Asks the wallet to pay a pending refund of the locked order `o` from its merchant `m`'s wallet and
   * records the answer: paid -> the refund succeeds and the order counts it; refused -> nothing was paid
   * (the wallet replays a transfer it already made, and both attempts ride the merchant wallet's partition
   * in order), so the reservation goes; no answer -> the refund stays pending. Returns the reply for the
   * refund's requester.
   */
  async payRefund(tx: PoolClient, o: OrderRow, m: MerchantRow, r: RefundRow): Promise<Reply<RefundView>> {
    const amount = Money.fromMinor(r.amountMinor, r.currency);
    const paid = await this.wallet.refund({
      refundId: r.id,
      fromWalletId: m.walletId,
      toUserId: o.payerUserId!,
      amount: amount.toJSON(),
      note: `refund ${o.id}${r.reason ? `: ${r.reason}` : ''}`,
    });
    if (!paid.ok && paid.unavailable) {
      return {
        ok: false,
        error: {
          code: 'WALLET_UNAVAILABLE',
          message:
            `the wallet did not confirm refund ${r.id} (${paid.error.message}); it is pending and its amount ` +
            'stays reserved: retry with the same Idempotency-Key to complete it',
          details: { refundId: r.id, pending: true },
        },
      };
    }
    if (!paid.ok) {
      await refundRepository.deletePending(tx, r.id);
      return {
        ok: false,
        error: new PaymentsError(
          'WALLET_REFUSED',
          `the wallet did not pay the refund: ${paid.error.message}`,
          {
            walletError: paid.error.code,
          },
        ).toBody(),
      };
    }
    const now = this.clock.now();
    const state = next(o, { type: 'refund', amount: r.amountMinor });
    await refundRepository.markSucceeded(tx, r.id);
    const saved = await repo.save(tx, o, { state, detail: `refund ${r.id} ${amount.amount}` }, now);
    await announceOrder(tx, saved, now, { refundId: r.id, refundAmount: amount.toJSON() });
    return { ok: true, value: refundView({ ...r, status: 'succeeded' }, saved, false) };
  }
}

function refundView(r: RefundRow, o: OrderRow, replayed: boolean): RefundView {
  return {
    refundId: r.id,
    orderId: r.orderId,
    amount: Money.fromMinor(r.amountMinor, r.currency).toJSON(),
    reason: r.reason,
    order: orderView(o),
    replayed,
    createdAt: r.createdAt.toISOString(),
  };
}
