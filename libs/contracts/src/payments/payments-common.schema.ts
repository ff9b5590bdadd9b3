import { z } from 'zod';
import { CurrencyCode, IdString, MoneySchema } from '../common/money.schema';

/** An id that also fits EMV tag 62/05 (reference label, at most 25 characters), so a QR can carry it. */
export const OrderId = z
  .string()
  .min(1)
  .max(25)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits and . _ - only, at most 25 characters');

/** A fee rate as a decimal fraction: "0.006" is 0.6 %. */
export const FeeRate = z
  .string()
  .regex(
    /^0(\.[0-9]{1,6})?$/,
    'a decimal fraction below 1 with at most 6 decimals, such as "0.006" for 0.6 %',
  );

export const MerchantStatus = z.enum(['active', 'suspended']);
export type MerchantStatus = z.infer<typeof MerchantStatus>;

export const MerchantView = z
  .object({
    merchantId: IdString,
    ownerUserId: IdString,
    name: z.string(),
    city: z.string(),
    country: z.string(),
    mcc: z.string(),
    currency: CurrencyCode,
    settlementAccount: z.string(),
    feeRate: FeeRate,
    /** The wallet that receives captures: the merchant's pending balance until settlement. */
    walletId: IdString,
    status: MerchantStatus,
    createdAt: z.iso.datetime(),
  })
  .strict();
export type MerchantView = z.infer<typeof MerchantView>;

export const ORDER_STATUSES = [
  'CREATED',
  'PENDING',
  'SUCCEEDED',
  'FAILED',
  'EXPIRED',
  'CLOSED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderKind = z.enum(['dynamic-qr', 'static-qr', 'payment-code']);
export type OrderKind = z.infer<typeof OrderKind>;

export const OrderView = z
  .object({
    orderId: OrderId,
    merchantId: IdString,
    kind: OrderKind,
    status: OrderStatus,
    amount: MoneySchema,
    captured: MoneySchema,
    fee: MoneySchema,
    refunded: MoneySchema,
    reference: z.string().nullable(),
    /** The EMV payload of a dynamic QR (null for other kinds). */
    qrPayload: z.string().nullable(),
    payerWalletId: IdString.nullable(),
    failureCode: z.string().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict();
export type OrderView = z.infer<typeof OrderView>;

export const RefundView = z
  .object({
    refundId: IdString,
    orderId: OrderId,
    amount: MoneySchema,
    reason: z.string().nullable(),
    /** The order after the refund (its refunded total and status). */
    order: OrderView,
    /** True when this refund id had been applied before and the first result is returned. */
    replayed: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type RefundView = z.infer<typeof RefundView>;

export const WebhookEndpointView = z
  .object({
    merchantId: IdString,
    url: z.url(),
    keyId: z.string(),
    /** Shown once, when the endpoint is configured or its key rotated; null afterwards. */
    secret: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type WebhookEndpointView = z.infer<typeof WebhookEndpointView>;

export const PaymentCodeView = z
  .object({
    code: z.string().regex(/^[0-9]{18}$/),
    walletId: IdString,
    validFrom: z.iso.datetime(),
    validUntil: z.iso.datetime(),
  })
  .strict();
export type PaymentCodeView = z.infer<typeof PaymentCodeView>;

export const StaticQrView = z.object({ merchantId: IdString, qrPayload: z.string() }).strict();
export type StaticQrView = z.infer<typeof StaticQrView>;

/** Stable codes a payments command can fail with; the gateway maps each one to an HTTP status. */
export const PAYMENTS_ERROR_CODES = [
  'MERCHANT_NOT_FOUND',
  'MERCHANT_EXISTS',
  'MERCHANT_SUSPENDED',
  'ORDER_NOT_FOUND',
  'ORDER_EXISTS',
  'ORDER_NOT_PAYABLE',
  'ORDER_EXPIRED',
  'ORDER_NOT_REFUNDABLE',
  'REFUND_EXCEEDS_CAPTURED',
  'REFUND_ID_CONFLICT',
  'QR_INVALID',
  'QR_TAMPERED',
  'QR_NOT_PAYLEND',
  'AMOUNT_INVALID',
  'CURRENCY_MISMATCH',
  'PAYMENT_CODE_INVALID',
  'PAYMENT_CODE_EXPIRED',
  'PAYMENT_CODE_USED',
  'PAYMENT_DECLINED',
  'PAYMENT_PENDING',
  'WALLET_UNAVAILABLE',
  'WALLET_REFUSED',
  'WEBHOOK_NOT_CONFIGURED',
  'FORBIDDEN',
  'CURSOR_INVALID',
] as const;
export type PaymentsErrorCode = (typeof PAYMENTS_ERROR_CODES)[number];
