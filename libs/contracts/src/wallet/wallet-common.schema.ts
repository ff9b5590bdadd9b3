import { z } from 'zod';
import { IdString, MoneySchema } from '../common/money.schema';

/**
 * Who asks: the gateway passes the authenticated subject and roles with every wallet command, and the
 * wallet checks ownership against its own rows in the same transaction as the effect (an operator may act
 * on any wallet; anyone else only on their own, and a foreign wallet answers WALLET_NOT_FOUND).
 */
export const ActorSchema = z
  .object({
    userId: IdString,
    roles: z.array(z.enum(['consumer', 'merchant', 'borrower', 'lender', 'operator', 'service'])).max(8),
    /** Where the request came from (client IP at the gateway), for the operator audit log. */
    ip: z.string().max(64).optional(),
  })
  .strict();
export type Actor = z.infer<typeof ActorSchema>;

export const WalletStatus = z.enum(['active', 'frozen', 'closed']);
export type WalletStatus = z.infer<typeof WalletStatus>;

export const WalletView = z
  .object({
    walletId: IdString,
    userId: IdString,
    currency: z.string(),
    status: WalletStatus,
    tier: z.number().int().min(0),
    /** Posted balance and what can be spent now (posted less open holds). */
    balance: MoneySchema,
    available: MoneySchema,
    createdAt: z.iso.datetime(),
  })
  .strict();
export type WalletView = z.infer<typeof WalletView>;

export const HoldStatus = z.enum(['open', 'captured', 'voided', 'expired']);
export type HoldStatus = z.infer<typeof HoldStatus>;

export const HoldView = z
  .object({
    holdId: IdString,
    walletId: IdString,
    amount: MoneySchema,
    /** Gross: what left the payer's wallet (zero until captured). */
    captured: MoneySchema,
    /** The platform's fee taken from the receiving wallet with the capture, and what the receiver kept. */
    fee: MoneySchema,
    net: MoneySchema,
    status: HoldStatus,
    reference: z.string().max(128).nullable(),
    expiresAt: z.iso.datetime().nullable(),
  })
  .strict();
export type HoldView = z.infer<typeof HoldView>;

export const WithdrawalStatus = z.enum(['pending', 'completed', 'failed']);
export const WithdrawalView = z
  .object({
    withdrawalId: IdString,
    walletId: IdString,
    amount: MoneySchema,
    bankAccount: z.string(),
    status: WithdrawalStatus,
    bankReference: z.string().nullable(),
    failureReason: z.string().nullable(),
    expiresAt: z.iso.datetime(),
  })
  .strict();
export type WithdrawalView = z.infer<typeof WithdrawalView>;

export const TransferView = z
  .object({
    transferId: IdString,
    kind: z.enum(['top-up', 'p2p']),
    fromWalletId: IdString.nullable(),
    toWalletId: IdString,
    amount: MoneySchema,
    note: z.string().nullable(),
    /** True when this transfer id had been applied before and the first result is returned. */
    replayed: z.boolean(),
    postedAt: z.iso.datetime(),
  })
  .strict();
export type TransferView = z.infer<typeof TransferView>;

export const StatementLineView = z
  .object({
    entryId: z.string(),
    transferId: z.string(),
    /** p2p-in, p2p-out, top-up, withdrawal, hold, hold-capture, hold-release ... */
    kind: z.string(),
    direction: z.enum(['in', 'out', 'none']),
    /** What moved in the posted balance (0 for a hold or its release). */
    amount: MoneySchema,
    /** Change of the held amount: positive when held, negative when released. */
    heldDelta: MoneySchema,
    balanceAfter: MoneySchema,
    availableAfter: MoneySchema,
    note: z.string().nullable(),
    counterparty: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .strict();
export type StatementLineView = z.infer<typeof StatementLineView>;

export const StatementView = z
  .object({ walletId: IdString, lines: z.array(StatementLineView), nextCursor: z.string().nullable() })
  .strict();
export type StatementView = z.infer<typeof StatementView>;

export const BalanceAsOfView = z
  .object({ walletId: IdString, asOf: z.iso.datetime(), balance: MoneySchema, available: MoneySchema })
  .strict();
export type BalanceAsOfView = z.infer<typeof BalanceAsOfView>;

export const AuditEntryView = z
  .object({
    id: z.string(),
    actorId: z.string(),
    actorIp: z.string().nullable(),
    action: z.string(),
    walletId: z.string().nullable(),
    reason: z.string().nullable(),
    result: z.string(),
    at: z.iso.datetime(),
  })
  .strict();
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** Stable codes a wallet command can fail with; the gateway maps each one to an HTTP status. */
export const WALLET_ERROR_CODES = [
  'WALLET_NOT_FOUND',
  'WALLET_EXISTS',
  'WALLET_FROZEN',
  'WALLET_CLOSED',
  'CURRENCY_UNSUPPORTED',
  'CURRENCY_MISMATCH',
  'AMOUNT_INVALID',
  'RECIPIENT_NOT_FOUND',
  'SAME_WALLET',
  'INSUFFICIENT_FUNDS',
  'LIMIT_PER_TRANSACTION',
  'LIMIT_DAILY_OUTFLOW',
  'LIMIT_MONTHLY_OUTFLOW',
  'LIMIT_BALANCE_CAP',
  'TIER_UNKNOWN',
  'HOLD_NOT_FOUND',
  'HOLD_NOT_OPEN',
  'HOLD_EXPIRED',
  'AMOUNT_EXCEEDS_HOLD',
  'DEADLINE_PASSED',
  'WITHDRAWAL_NOT_FOUND',
  'WITHDRAWAL_NOT_PENDING',
  'ID_CONFLICT',
  'FORBIDDEN',
  'CURSOR_INVALID',
  'LEDGER_REFUSED',
] as const;
export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number];
