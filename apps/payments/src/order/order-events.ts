import { randomUUID } from 'node:crypto';
import { OrderExpired, OrderFailed, OrderRefunded, OrderSucceeded, type MoneyDto } from '@paylend/contracts';
import { enqueueMany } from '@paylend/messaging';
import type { PoolClient } from 'pg';
import { webhookRepository, type WebhookEventType } from '../webhook/webhook.repository';
import { orderView, type OrderRow } from './order.repository';

type Extra = { refundId: string; refundAmount: MoneyDto } | { failureCode: string } | null;

function eventTypeOf(order: OrderRow, extra: Extra): WebhookEventType {
  if (extra && 'refundId' in extra) return 'order.refunded';
  switch (order.status) {
    case 'SUCCEEDED':
      return 'order.succeeded';
    case 'FAILED':
      return 'order.failed';
    case 'EXPIRED':
      return 'order.expired';
    default:
      throw new Error(`no announcement for an order that is ${order.status}`);
  }
}

/**
 * Announces order changes in the transaction that made them: a Kafka event (outbox) for the platform and a
 * signed webhook (delivery queue) for the merchant, both sharing one event id so they can be correlated.
 * Set-based: one statement for the webhooks and one per event type, however many orders.
 */
export async function announceOrders(
  tx: PoolClient,
  items: ReadonlyArray<{ order: OrderRow; extra?: Extra }>,
  at: Date,
): Promise<void> {
  const events = items.map(({ order, extra = null }) => {
    const view = orderView(order);
    return { eventId: randomUUID(), type: eventTypeOf(order, extra), order, view, extra };
  });
  await webhookRepository.enqueueMany(
    tx,
    events.map((e) => ({
      eventId: e.eventId,
      merchantId: e.order.merchantId,
      type: e.type,
      data: { order: e.view, ...(e.extra ?? {}) },
    })),
    at,
  );
  const base = (e: (typeof events)[number]) => ({
    eventId: e.eventId,
    orderId: e.view.orderId,
    merchantId: e.view.merchantId,
    kind: e.view.kind,
    status: e.view.status,
    amount: e.view.amount,
    captured: e.view.captured,
    fee: e.view.fee,
    refunded: e.view.refunded,
    payerWalletId: e.view.payerWalletId,
    at: at.toISOString(),
  });
  const ofType = (t: WebhookEventType) => events.filter((e) => e.type === t);
  await enqueueMany(tx, OrderSucceeded, ofType('order.succeeded').map(base));
  await enqueueMany(tx, OrderExpired, ofType('order.expired').map(base));
  await enqueueMany(
    tx,
    OrderFailed,
    ofType('order.failed').map((e) => ({ ...base(e), failureCode: e.order.failureCode ?? 'UNKNOWN' })),
  );
  await enqueueMany(
    tx,
    OrderRefunded,
    ofType('order.refunded').map((e) => {
      const r = e.extra as { refundId: string; refundAmount: MoneyDto };
      return { ...base(e), refundId: r.refundId, refundAmount: r.refundAmount };
    }),
  );
}

/** Announces one order change (see announceOrders). */
export function announceOrder(tx: PoolClient, order: OrderRow, at: Date, extra: Extra = null): Promise<void> {
  return announceOrders(tx, [{ order, extra }], at);
}
