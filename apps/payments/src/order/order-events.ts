import { randomUUID } from 'node:crypto';
import { OrderExpired, OrderFailed, OrderRefunded, OrderSucceeded, type MoneyDto } from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import type { PoolClient } from 'pg';
import { webhookRepository } from '../webhook/webhook.repository';
import { orderView, type OrderRow } from './order.repository';

/**
 * Announces an order change in the transaction that made it: a Kafka event (outbox) for the platform and a
 * signed webhook (delivery queue) for the merchant, both sharing one event id so they can be correlated.
 */
export async function announceOrder(
  tx: PoolClient,
  order: OrderRow,
  at: Date,
  extra: { refundId: string; refundAmount: MoneyDto } | { failureCode: string } | null = null,
): Promise<void> {
  const view = orderView(order);
  const type =
    extra && 'refundId' in extra
      ? ('order.refunded' as const)
      : order.status === 'SUCCEEDED'
        ? ('order.succeeded' as const)
        : order.status === 'FAILED'
          ? ('order.failed' as const)
          : order.status === 'EXPIRED'
            ? ('order.expired' as const)
            : null;
  if (!type) throw new Error(`no announcement for an order that is ${order.status}`);
  const eventId =
    (await webhookRepository.enqueue(tx, order.merchantId, type, { order: view, ...(extra ?? {}) }, at)) ??
    randomUUID();
  const base = {
    eventId,
    orderId: view.orderId,
    merchantId: view.merchantId,
    kind: view.kind,
    status: view.status,
    amount: view.amount,
    captured: view.captured,
    fee: view.fee,
    refunded: view.refunded,
    payerWalletId: view.payerWalletId,
    at: at.toISOString(),
  };
  switch (type) {
    case 'order.succeeded':
      await enqueue(tx, OrderSucceeded, base);
      return;
    case 'order.expired':
      await enqueue(tx, OrderExpired, base);
      return;
    case 'order.failed':
      await enqueue(tx, OrderFailed, { ...base, failureCode: order.failureCode ?? 'UNKNOWN' });
      return;
    case 'order.refunded': {
      const r = extra as { refundId: string; refundAmount: MoneyDto };
      await enqueue(tx, OrderRefunded, { ...base, refundId: r.refundId, refundAmount: r.refundAmount });
      return;
    }
  }
}
