import { z } from 'zod';
import { defineEvent } from '../message-contract';
import { IdString, MoneySchema } from '../common/money.schema';
import { OrderId, OrderKind, OrderStatus } from './payments-common.schema';

/*
 * Payments events, written to the payments outbox in the transaction that changed the order. Keyed by
 * merchant: one order's events stay in order (an order has one merchant), and settlement clears a merchant's
 * events in one chunk, under one lock of its wallet. Settlement nets captures, fees and refunds from these.
 */
const OrderEventSchema = z
  .object({
    eventId: z.uuid(),
    orderId: OrderId,
    merchantId: IdString,
    kind: OrderKind,
    status: OrderStatus,
    amount: MoneySchema,
    captured: MoneySchema,
    fee: MoneySchema,
    refunded: MoneySchema,
    payerWalletId: IdString.nullable(),
    at: z.iso.datetime(),
  })
  .strict();
export type OrderEvent = z.infer<typeof OrderEventSchema>;

export const OrderSucceeded = defineEvent({
  context: 'payments',
  entity: 'order',
  event: 'succeeded',
  version: 1,
  schema: OrderEventSchema,
  key: (v) => v.merchantId,
});

export const OrderFailed = defineEvent({
  context: 'payments',
  entity: 'order',
  event: 'failed',
  version: 1,
  schema: OrderEventSchema.extend({ failureCode: z.string() }).strict(),
  key: (v) => v.merchantId,
});

export const OrderExpired = defineEvent({
  context: 'payments',
  entity: 'order',
  event: 'expired',
  version: 1,
  schema: OrderEventSchema,
  key: (v) => v.merchantId,
});

export const OrderRefunded = defineEvent({
  context: 'payments',
  entity: 'order',
  event: 'refunded',
  version: 1,
  schema: OrderEventSchema.extend({ refundId: IdString, refundAmount: MoneySchema }).strict(),
  key: (v) => v.merchantId,
});

export const PAYMENTS_EVENTS = [OrderSucceeded, OrderFailed, OrderExpired, OrderRefunded] as const;
