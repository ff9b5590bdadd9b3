import { z } from 'zod';
import { defineCommand } from '../message-contract';
import { replyEnvelope } from '../common/reply.schema';
import { CurrencyCode, IdString, MoneySchema } from '../common/money.schema';
import {
  ActorSchema,
  AuditEntryView,
  BalanceAsOfView,
  HoldView,
  StatementView,
  TransferView,
  WalletView,
  WithdrawalView,
} from './wallet-common.schema';

/*
 * Wallet commands: every one carries the actor the gateway authenticated and is keyed by the wallet it
 * concerns, so one wallet's commands are applied in order by one consumer. Every id that makes money move
 * (transferId, holdId, withdrawalId, captureId) is chosen by the caller and is idempotent in the ledger.
 */
const Note = z.string().max(140);

export const OpenWalletSchema = z
  .object({
    actor: ActorSchema,
    userId: IdString,
    currency: CurrencyCode,
    /**
     * `merchant` (services and operators only) opens the wallet on the tier configuration's merchant tier,
     * whose limits suit a business's takings rather than a consumer's; default `personal` (tier 0).
     */
    kind: z.enum(['personal', 'merchant']).optional(),
  })
  .strict();
export const openWalletCommand = defineCommand({
  context: 'wallet',
  command: 'open-wallet',
  version: 1,
  schema: OpenWalletSchema,
  reply: replyEnvelope(WalletView.extend({ created: z.boolean() })),
  key: (v) => v.userId,
});

export const GetWalletsSchema = z
  .object({ actor: ActorSchema, userId: IdString.optional(), walletId: IdString.optional() })
  .strict()
  .refine((v) => v.userId !== undefined || v.walletId !== undefined, 'give userId or walletId');
export const getWalletsCommand = defineCommand({
  context: 'wallet',
  command: 'get-wallets',
  version: 1,
  schema: GetWalletsSchema,
  reply: replyEnvelope(z.array(WalletView)),
  key: (v) => v.walletId ?? v.userId ?? '',
});

export const TopUpSchema = z
  .object({
    actor: ActorSchema,
    walletId: IdString,
    amount: MoneySchema,
    /** The external bank or agent the cash came in through, and its reference for the deposit. */
    participant: IdString,
    depositReference: IdString,
  })
  .strict();
export const topUpCommand = defineCommand({
  context: 'wallet',
  command: 'top-up',
  version: 1,
  schema: TopUpSchema,
  reply: replyEnvelope(TransferView),
  key: (v) => v.walletId,
});

export const P2pTransferSchema = z
  .object({
    actor: ActorSchema,
    transferId: IdString,
    fromWalletId: IdString,
    /** The recipient's wallet in the amount's currency. */
    toUserId: IdString,
    amount: MoneySchema,
    note: Note.optional(),
  })
  .strict();
export const p2pTransferCommand = defineCommand({
  context: 'wallet',
  command: 'p2p-transfer',
  version: 1,
  schema: P2pTransferSchema,
  reply: replyEnvelope(TransferView),
  key: (v) => v.fromWalletId,
});

export const RequestWithdrawalSchema = z
  .object({
    actor: ActorSchema,
    withdrawalId: IdString,
    walletId: IdString,
    amount: MoneySchema,
    bankAccount: z
      .string()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and dashes'),
  })
  .strict();
export const requestWithdrawalCommand = defineCommand({
  context: 'wallet',
  command: 'request-withdrawal',
  version: 1,
  schema: RequestWithdrawalSchema,
  reply: replyEnvelope(WithdrawalView),
  key: (v) => v.walletId,
});

export const SettleWithdrawalSchema = z
  .object({
    actor: ActorSchema,
    withdrawalId: IdString,
    outcome: z.enum(['confirmed', 'failed']),
    bankReference: z.string().max(128).optional(),
    reason: z.string().max(280).optional(),
  })
  .strict();
export const settleWithdrawalCommand = defineCommand({
  context: 'wallet',
  command: 'settle-withdrawal',
  version: 1,
  schema: SettleWithdrawalSchema,
  reply: replyEnvelope(WithdrawalView),
  key: (v) => v.withdrawalId,
});

export const CreateHoldSchema = z
  .object({
    actor: ActorSchema,
    holdId: IdString,
    walletId: IdString,
    amount: MoneySchema,
    /** Where a capture goes: another wallet, or (absent) the platform's clearing account. */
    toWalletId: IdString.optional(),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .optional(),
    reference: z.string().max(128).optional(),
    /**
     * Capture the whole hold at once, as `capture.actor` (a service) with its fee, as payments does when a
     * consumer confirms a QR payment: the hold and its capture commit together or not at all, so a refused
     * capture leaves no hold behind, and the payment costs one wallet round trip instead of two. The reply
     * is the hold as captured. A replay (same hold id) answers with the hold as it stands. Past `notAfter`
     * the command is refused (DEADLINE_PASSED) with nothing done: a caller that stopped waiting may decide
     * the payment's fate itself once the deadline is behind it, without a late delivery moving money after.
     */
    capture: z
      .object({
        actor: ActorSchema,
        fee: MoneySchema.refine((m) => !m.amount.startsWith('-'), 'a fee cannot be negative'),
        notAfter: z.string().datetime({ offset: true }),
      })
      .strict()
      .optional(),
  })
  .strict();

// A hold captured on arrival is keyed by the wallet it pays into: all of a merchant's QR payments reach one
// partition, so the wallet takes that merchant's lock once per chunk instead of from every partition's chunk
// at once. Other holds are keyed by the payer's wallet.
const holdKey = (v: z.infer<typeof CreateHoldSchema>) =>
  v.capture && v.toWalletId ? v.toWalletId : v.walletId;

export const createHoldCommand = defineCommand({
  context: 'wallet',
  command: 'create-hold',
  version: 1,
  schema: CreateHoldSchema,
  reply: replyEnvelope(HoldView),
  key: holdKey,
});

/** The most holds one `create-holds` command carries. */
export const MAX_HOLDS_PER_COMMAND = 500;

/**
 * Many `create-hold`s in one message, as payments sends the QR payments it is completing together: one
 * message and one reply instead of one per payment. Each hold is judged exactly as its own `create-hold`
 * would be, and the reply holds one answer per hold, in order (a refused hold does not refuse the others).
 * Keyed like its first hold: a sender puts the holds that pay into one wallet in one command.
 */
export const createHoldsCommand = defineCommand({
  context: 'wallet',
  command: 'create-holds',
  version: 1,
  schema: z.object({ holds: z.array(CreateHoldSchema).min(1).max(MAX_HOLDS_PER_COMMAND) }).strict(),
  reply: replyEnvelope(z.array(replyEnvelope(HoldView))),
  key: (v) => holdKey(v.holds[0]!),
});

export const CaptureHoldSchema = z
  .object({
    actor: ActorSchema,
    holdId: IdString,
    /** Defaults to the whole hold; a smaller amount captures part and releases the rest. */
    amount: MoneySchema.optional(),
    /**
     * The platform's fee on this capture (services and operators only), in the hold's currency, from zero up
     * to the captured amount. It is taken from the receiving wallet to the platform's fee account in the same
     * linked ledger chain as the capture: both are booked or neither. Defaults to zero.
     */
    fee: MoneySchema.refine((m) => !m.amount.startsWith('-'), 'a fee cannot be negative').optional(),
  })
  .strict();
export const captureHoldCommand = defineCommand({
  context: 'wallet',
  command: 'capture-hold',
  version: 1,
  schema: CaptureHoldSchema,
  reply: replyEnvelope(HoldView),
  key: (v) => v.holdId,
});

export const VoidHoldSchema = z.object({ actor: ActorSchema, holdId: IdString }).strict();
export const voidHoldCommand = defineCommand({
  context: 'wallet',
  command: 'void-hold',
  version: 1,
  schema: VoidHoldSchema,
  reply: replyEnvelope(HoldView),
  key: (v) => v.holdId,
});

export const GetHoldSchema = z.object({ actor: ActorSchema, holdId: IdString }).strict();
export const getHoldCommand = defineCommand({
  context: 'wallet',
  command: 'get-hold',
  version: 1,
  schema: GetHoldSchema,
  reply: replyEnvelope(HoldView),
  key: (v) => v.holdId,
});

export const StatementSchema = z
  .object({
    actor: ActorSchema,
    walletId: IdString,
    cursor: z.string().max(256).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();
export const statementCommand = defineCommand({
  context: 'wallet',
  command: 'statement',
  version: 1,
  schema: StatementSchema,
  reply: replyEnvelope(StatementView),
  key: (v) => v.walletId,
});

export const BalanceAsOfSchema = z
  .object({ actor: ActorSchema, walletId: IdString, asOf: z.iso.datetime() })
  .strict();
export const balanceAsOfCommand = defineCommand({
  context: 'wallet',
  command: 'balance-as-of',
  version: 1,
  schema: BalanceAsOfSchema,
  reply: replyEnvelope(BalanceAsOfView),
  key: (v) => v.walletId,
});

/** Operator actions: each one lands in the wallet's append-only audit log, refused or not. */
export const SetWalletStatusSchema = z
  .object({
    actor: ActorSchema,
    walletId: IdString,
    action: z.enum(['freeze', 'unfreeze']),
    reason: z.string().min(3).max(280),
  })
  .strict();
export const setWalletStatusCommand = defineCommand({
  context: 'wallet',
  command: 'set-wallet-status',
  version: 1,
  schema: SetWalletStatusSchema,
  reply: replyEnvelope(WalletView),
  key: (v) => v.walletId,
});

export const SetWalletTierSchema = z
  .object({
    actor: ActorSchema,
    walletId: IdString,
    tier: z.number().int().min(0).max(9),
    reason: z.string().min(3).max(280),
  })
  .strict();
export const setWalletTierCommand = defineCommand({
  context: 'wallet',
  command: 'set-wallet-tier',
  version: 1,
  schema: SetWalletTierSchema,
  reply: replyEnvelope(WalletView),
  key: (v) => v.walletId,
});

export const AuditLogSchema = z
  .object({
    actor: ActorSchema,
    walletId: IdString.optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();
export const auditLogCommand = defineCommand({
  context: 'wallet',
  command: 'audit-log',
  version: 1,
  schema: AuditLogSchema,
  reply: replyEnvelope(z.array(AuditEntryView)),
  key: (v) => v.walletId ?? 'all',
});

/** Every command the wallet service answers. */
export const WALLET_COMMANDS = [
  openWalletCommand,
  getWalletsCommand,
  topUpCommand,
  p2pTransferCommand,
  requestWithdrawalCommand,
  settleWithdrawalCommand,
  createHoldCommand,
  createHoldsCommand,
  captureHoldCommand,
  voidHoldCommand,
  getHoldCommand,
  statementCommand,
  balanceAsOfCommand,
  setWalletStatusCommand,
  setWalletTierCommand,
  auditLogCommand,
] as const;
