import { z } from 'zod';
import { CurrencyCode, IdString, MoneySchema, OrderStatus } from '@paylend/contracts';

/* Request bodies and queries of the payments routes (validated here, documented in OpenAPI from the same schemas). */

export const OnboardMerchantBody = z
  .object({
    merchantId: IdString.max(64),
    name: z.string().min(1).max(25),
    city: z.string().min(1).max(15),
    country: z.string().regex(/^[A-Z]{2}$/),
    mcc: z.string().regex(/^[0-9]{4}$/),
    currency: CurrencyCode,
    settlementAccount: z
      .string()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z0-9 -]+$/),
    feeRate: z
      .string()
      .regex(/^0(\.[0-9]{1,6})?$/)
      .describe('a decimal fraction: "0.006" is 0.6 %'),
  })
  .strict();
export const MerchantStatusBody = z.object({ status: z.enum(['active', 'suspended']) }).strict();
export const CreateOrderBody = z
  .object({
    amount: MoneySchema,
    reference: z
      .string()
      .max(25)
      .regex(/^[A-Za-z0-9 ._-]*$/)
      .optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600)
      .default(900),
  })
  .strict();
export const OrdersQuery = z
  .object({
    status: OrderStatus.optional(),
    cursor: z.string().max(256).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export const ChargeCodeBody = z
  .object({
    code: z.string().regex(/^[0-9]{18}$/, 'the 18-digit code shown by the customer'),
    amount: MoneySchema,
    reference: z
      .string()
      .max(25)
      .regex(/^[A-Za-z0-9 ._-]*$/)
      .optional(),
  })
  .strict();
export const RefundBody = z.object({ amount: MoneySchema, reason: z.string().max(140).optional() }).strict();
export const WebhookBody = z
  .object({ url: z.url({ protocol: /^https?$/ }), rotateSecret: z.boolean().optional() })
  .strict();
export const ScanPayBody = z
  .object({
    walletId: IdString.describe('the wallet to pay from'),
    qrPayload: z.string().min(1).max(512).describe('the EMV payload read from the QR code'),
    amount: MoneySchema.optional().describe('for a static QR: the amount the payer entered'),
  })
  .strict();
export const EmptyBody = z.object({}).strict();
export const QrImageQuery = z.object({ format: z.enum(['png', 'svg']).default('png') }).strict();
