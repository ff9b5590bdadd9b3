import { z } from 'zod';
import { CurrencyCode, IdString, MoneySchema } from '@paylend/contracts';

/* Request bodies and queries of the wallet routes (validated here, documented in OpenAPI from the same schemas). */

export const OpenWalletBody = z.object({ currency: CurrencyCode }).strict();
export const TopUpBody = z
  .object({
    amount: MoneySchema,
    participant: IdString.describe('the bank or agent the cash came in through, e.g. "bank.icbc"'),
    depositReference: IdString.describe(
      "the participant's reference of the deposit; the same deposit is credited once",
    ),
  })
  .strict();
export const TransferBody = z
  .object({ toUserId: IdString, amount: MoneySchema, note: z.string().max(140).optional() })
  .strict();
export const WithdrawalBody = z
  .object({
    amount: MoneySchema,
    bankAccount: z
      .string()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and dashes'),
  })
  .strict();
export const SettleWithdrawalBody = z
  .object({
    outcome: z.enum(['confirmed', 'failed']),
    bankReference: z.string().max(128).optional(),
    reason: z.string().max(280).optional(),
  })
  .strict();
export const HoldBody = z
  .object({
    amount: MoneySchema,
    toWalletId: IdString.optional(),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .optional(),
    reference: z.string().max(128).optional(),
  })
  .strict();
export const CaptureBody = z.object({ amount: MoneySchema.optional() }).strict();
export const EmptyBody = z.object({}).strict();
export const ReasonBody = z.object({ reason: z.string().min(3).max(280) }).strict();
export const TierBody = z
  .object({ tier: z.number().int().min(0).max(9), reason: z.string().min(3).max(280) })
  .strict();

export const WalletsQuery = z.object({ userId: IdString.optional() }).strict();
export const StatementQuery = z
  .object({
    cursor: z.string().max(256).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export const BalanceQuery = z.object({ asOf: z.iso.datetime({ offset: true }).optional() }).strict();
export const AuditQuery = z
  .object({ walletId: IdString.optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
  .strict();
