import { z } from 'zod';
import { CurrencyCode, DecimalString, IdString } from '../common/money.schema';

/** Stable codes of settlement replies; the gateway maps each to an HTTP status. */
export const SETTLEMENT_ERROR_CODES = [
  'FORBIDDEN',
  'WINDOW_NOT_FOUND',
  'NO_OPEN_WINDOW',
  'WINDOW_TRANSITION',
  'WINDOW_NOT_SETTLED',
  'MERCHANT_UNKNOWN',
  'STATEMENT_MALFORMED',
  'STATEMENT_ALREADY_IMPORTED',
  'NOTHING_TO_RECONCILE',
  'WINDOW_ALREADY_RECONCILED',
  'BREAK_NOT_FOUND',
  'BREAK_ALREADY_RESOLVED',
  'RESOLUTION_INVALID',
  'LEDGER_REFUSED',
  'PAYMENTS_UNAVAILABLE',
] as const;
export type SettlementErrorCodeWire = (typeof SETTLEMENT_ERROR_CODES)[number];

/** A scheme is the window family: one per product and currency, e.g. `qr-cny`. */
export const SchemeId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes, e.g. "qr-cny"');

export const WindowStatus = z.enum(['OPEN', 'CLOSED', 'PENDING_SETTLEMENT', 'SETTLED', 'ABORTED']);

export const SettlementWindowView = z
  .object({
    windowId: IdString,
    scheme: SchemeId,
    sequence: z.number().int().positive(),
    status: WindowStatus,
    openedAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
    closedBy: z.string().nullable(),
    settledAt: z.iso.datetime().nullable(),
    transferCount: z.number().int().min(0),
  })
  .strict();
export type SettlementWindowView = z.infer<typeof SettlementWindowView>;

export const InstructionView = z
  .object({
    reference: z.string(),
    participant: z.string(),
    direction: z.enum(['payout', 'collection']),
    amount: DecimalString,
    currency: CurrencyCode,
    bankAccount: z.string(),
  })
  .strict();

export const SettlementOutcomeView = z
  .object({
    window: SettlementWindowView,
    instructions: z.array(InstructionView),
    /** Ledger transfers this command posted: 0 when the window had been settled before. */
    postedTransfers: z.number().int().min(0),
    alreadySettled: z.boolean(),
  })
  .strict();

export type SettlementOutcomeView = z.infer<typeof SettlementOutcomeView>;

export const AccountCheckView = z
  .object({
    role: z.enum(['clearing', 'suspense']),
    accountId: z.string(),
    currency: CurrencyCode,
    /** Debits minus credits: "0.00" when the account is back to zero. */
    balance: DecimalString,
    zero: z.boolean(),
  })
  .strict();

export const BreakStatus = z.enum(['OPEN', 'RESOLVED']);
export const BreakView = z
  .object({
    breakId: z.string(),
    reconciliationId: z.string(),
    kind: z.enum(['missing_in_bank', 'missing_in_ledger', 'amount_mismatch']),
    cause: z.string(),
    currency: CurrencyCode,
    reference: z.string().nullable(),
    participant: z.string().nullable(),
    expected: DecimalString.nullable(),
    actual: DecimalString.nullable(),
    residueAccount: z.string().nullable(),
    residue: DecimalString.nullable(),
    message: z.string(),
    status: BreakStatus,
    resolution: z
      .object({
        operator: z.string(),
        sourceIp: z.string().nullable(),
        reason: z.string(),
        target: z.unknown(),
        postingIds: z.array(z.string()),
        result: z.string(),
        resolvedAt: z.iso.datetime(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type BreakView = z.infer<typeof BreakView>;

export const ReconciliationView = z
  .object({
    reconciliationId: z.string(),
    format: z.string(),
    windowIds: z.array(z.string()),
    entries: z.number().int().min(0),
    matched: z.number().int().min(0),
    reversals: z.number().int().min(0),
    breaks: z.array(BreakView),
    /** The engine's check: clearing and suspense movements of these windows and this statement net to zero. */
    accounts: z.array(AccountCheckView),
    /** The ledger's own clearing and suspense balances after this import. */
    ledgerAccounts: z.array(AccountCheckView),
    balanced: z.boolean(),
    postedTransfers: z.number().int().min(0),
  })
  .strict();
export type ReconciliationView = z.infer<typeof ReconciliationView>;

export const ResolutionTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('participant'), participant: IdString }).strict(),
  z.object({ kind: z.literal('write_off') }).strict(),
  z.object({ kind: z.literal('no_posting') }).strict(),
]);
