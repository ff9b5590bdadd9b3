import { z } from 'zod';
import { defineCommand } from '../message-contract';
import { replyEnvelope } from '../common/reply.schema';
import { CurrencyCode, IdString, MoneySchema } from '../common/money.schema';
import { ActorSchema } from '../wallet/wallet-common.schema';
import {
  FeeRate,
  MerchantStatus,
  MerchantView,
  OrderId,
  OrderStatus,
  OrderView,
  PaymentCodeView,
  RefundView,
  StaticQrView,
  WebhookEndpointView,
} from './payments-common.schema';
import { payQrKey } from './pay-qr-key';

/*
 * Payments commands: each carries the actor the gateway authenticated. Merchant-side commands are allowed
 * to the merchant's owner (or an operator); a foreign merchant answers MERCHANT_NOT_FOUND. Every id that
 * makes money move (orderId, refundId) is chosen by the caller and is idempotent.
 */

export const OnboardMerchantSchema = z
  .object({
    actor: ActorSchema,
    merchantId: IdString.max(64),
    name: z.string().min(1).max(25),
    city: z.string().min(1).max(15),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 such as "CN"'),
    mcc: z.string().regex(/^[0-9]{4}$/, 'ISO 18245 merchant category code, four digits'),
    currency: CurrencyCode,
    settlementAccount: z
      .string()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and dashes'),
    feeRate: FeeRate,
  })
  .strict();
export const onboardMerchantCommand = defineCommand({
  context: 'payments',
  command: 'onboard-merchant',
  version: 1,
  schema: OnboardMerchantSchema,
  reply: replyEnvelope(MerchantView.extend({ created: z.boolean() })),
  key: (v) => v.merchantId,
});

export const GetMerchantSchema = z.object({ actor: ActorSchema, merchantId: IdString }).strict();
export const getMerchantCommand = defineCommand({
  context: 'payments',
  command: 'get-merchant',
  version: 1,
  schema: GetMerchantSchema,
  reply: replyEnvelope(MerchantView),
  key: (v) => v.merchantId,
});

export const SetMerchantStatusSchema = z
  .object({ actor: ActorSchema, merchantId: IdString, status: MerchantStatus })
  .strict();
export const setMerchantStatusCommand = defineCommand({
  context: 'payments',
  command: 'set-merchant-status',
  version: 1,
  schema: SetMerchantStatusSchema,
  reply: replyEnvelope(MerchantView),
  key: (v) => v.merchantId,
});

export const CreateStaticQrSchema = z.object({ actor: ActorSchema, merchantId: IdString }).strict();
export const createStaticQrCommand = defineCommand({
  context: 'payments',
  command: 'create-static-qr',
  version: 1,
  schema: CreateStaticQrSchema,
  reply: replyEnvelope(StaticQrView),
  key: (v) => v.merchantId,
});

export const CreateOrderSchema = z
  .object({
    actor: ActorSchema,
    merchantId: IdString,
    orderId: OrderId,
    amount: MoneySchema,
    /** The merchant's own reference (invoice, till receipt), carried in tag 62/01. */
    reference: z
      .string()
      .max(25)
      .regex(/^[A-Za-z0-9 ._-]*$/)
      .optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600),
  })
  .strict();
export const createOrderCommand = defineCommand({
  context: 'payments',
  command: 'create-order',
  version: 1,
  schema: CreateOrderSchema,
  reply: replyEnvelope(OrderView.extend({ created: z.boolean() })),
  key: (v) => v.orderId,
});

export const GetOrderSchema = z.object({ actor: ActorSchema, orderId: OrderId }).strict();
export const getOrderCommand = defineCommand({
  context: 'payments',
  command: 'get-order',
  version: 1,
  schema: GetOrderSchema,
  reply: replyEnvelope(OrderView),
  key: (v) => v.orderId,
});

export const ListOrdersSchema = z
  .object({
    actor: ActorSchema,
    merchantId: IdString,
    status: OrderStatus.optional(),
    cursor: z.string().max(256).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();
export const listOrdersCommand = defineCommand({
  context: 'payments',
  command: 'list-orders',
  version: 1,
  schema: ListOrdersSchema,
  reply: replyEnvelope(z.object({ orders: z.array(OrderView), nextCursor: z.string().nullable() }).strict()),
  key: (v) => v.merchantId,
});

export const CloseOrderSchema = z.object({ actor: ActorSchema, orderId: OrderId }).strict();
export const closeOrderCommand = defineCommand({
  context: 'payments',
  command: 'close-order',
  version: 1,
  schema: CloseOrderSchema,
  reply: replyEnvelope(OrderView),
  key: (v) => v.orderId,
});

/**
 * The consumer scanned a merchant QR and confirmed. For a dynamic QR the server pays its own order and
 * refuses a payload that differs from the one it issued; for a static QR the payer gives the amount and
 * `orderId` names the new order.
 */
export const PayQrSchema = z
  .object({
    actor: ActorSchema,
    payerWalletId: IdString,
    qrPayload: z.string().min(1).max(512),
    amount: MoneySchema.optional(),
    orderId: OrderId.optional(),
  })
  .strict();
export const payQrCommand = defineCommand({
  context: 'payments',
  command: 'pay-qr',
  version: 1,
  schema: PayQrSchema,
  reply: replyEnvelope(OrderView),
  // By merchant (see payQrKey): a merchant's payments share chunks, and concurrent scans of one order queue
  // up in order on one partition.
  key: (v) => payQrKey(v.qrPayload),
});

export const IssuePaymentCodeSchema = z.object({ actor: ActorSchema, walletId: IdString }).strict();
export const issuePaymentCodeCommand = defineCommand({
  context: 'payments',
  command: 'issue-payment-code',
  version: 1,
  schema: IssuePaymentCodeSchema,
  reply: replyEnvelope(PaymentCodeView),
  key: (v) => v.walletId,
});

export const ChargePaymentCodeSchema = z
  .object({
    actor: ActorSchema,
    merchantId: IdString,
    orderId: OrderId,
    code: z.string().regex(/^[0-9]{18}$/, 'an 18-digit payment code'),
    amount: MoneySchema,
    reference: z
      .string()
      .max(25)
      .regex(/^[A-Za-z0-9 ._-]*$/)
      .optional(),
  })
  .strict();
export const chargePaymentCodeCommand = defineCommand({
  context: 'payments',
  command: 'charge-payment-code',
  version: 1,
  schema: ChargePaymentCodeSchema,
  reply: replyEnvelope(OrderView),
  key: (v) => v.code,
});

export const RefundOrderSchema = z
  .object({
    actor: ActorSchema,
    orderId: OrderId,
    refundId: IdString,
    amount: MoneySchema,
    reason: z.string().max(140).optional(),
  })
  .strict();
export const refundOrderCommand = defineCommand({
  context: 'payments',
  command: 'refund-order',
  version: 1,
  schema: RefundOrderSchema,
  reply: replyEnvelope(RefundView),
  key: (v) => v.orderId,
});

export const ConfigureWebhookSchema = z
  .object({
    actor: ActorSchema,
    merchantId: IdString,
    url: z.url({ protocol: /^https?$/ }),
    /** A new signing key even when the URL is unchanged. */
    rotateSecret: z.boolean().optional(),
  })
  .strict();
export const configureWebhookCommand = defineCommand({
  context: 'payments',
  command: 'configure-webhook',
  version: 1,
  schema: ConfigureWebhookSchema,
  reply: replyEnvelope(WebhookEndpointView),
  key: (v) => v.merchantId,
});

/** Every command the payments service answers. */
export const PAYMENTS_COMMANDS = [
  onboardMerchantCommand,
  getMerchantCommand,
  setMerchantStatusCommand,
  createStaticQrCommand,
  createOrderCommand,
  getOrderCommand,
  listOrdersCommand,
  closeOrderCommand,
  payQrCommand,
  issuePaymentCodeCommand,
  chargePaymentCodeCommand,
  refundOrderCommand,
  configureWebhookCommand,
] as const;
