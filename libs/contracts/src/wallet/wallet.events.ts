import { z } from 'zod';
import { defineEvent } from '../message-contract';
import { IdString, MoneySchema } from '../common/money.schema';
import { HoldStatus, WalletStatus } from './wallet-common.schema';

/* Wallet events, written to the wallet's outbox in the transaction that made the change; keyed by wallet. */

export const WalletOpened = defineEvent({
  context: 'wallet',
  entity: 'wallet',
  event: 'opened',
  version: 1,
  schema: z
    .object({
      walletId: IdString,
      userId: IdString,
      currency: z.string(),
      tier: z.number().int(),
      at: z.iso.datetime(),
    })
    .strict(),
  key: (v) => v.walletId,
});

export const WalletStatusChanged = defineEvent({
  context: 'wallet',
  entity: 'wallet',
  event: 'status-changed',
  version: 1,
  schema: z
    .object({
      walletId: IdString,
      from: WalletStatus,
      to: WalletStatus,
      reason: z.string(),
      operatorId: IdString,
      at: z.iso.datetime(),
    })
    .strict(),
  key: (v) => v.walletId,
});

export const TransferPosted = defineEvent({
  context: 'wallet',
  entity: 'transfer',
  event: 'posted',
  version: 1,
  schema: z
    .object({
      transferId: IdString,
      kind: z.enum(['top-up', 'p2p', 'withdrawal', 'hold-capture', 'fee']),
      fromWalletId: IdString.nullable(),
      toWalletId: IdString.nullable(),
      amount: MoneySchema,
      note: z.string().nullable(),
      at: z.iso.datetime(),
    })
    .strict(),
  key: (v) => v.fromWalletId ?? v.toWalletId ?? v.transferId,
});

const HoldEventSchema = z
  .object({
    holdId: IdString,
    walletId: IdString,
    amount: MoneySchema,
    /** Gross captured, the platform's fee taken from the receiver with it, and the receiver's net. */
    captured: MoneySchema,
    fee: MoneySchema,
    net: MoneySchema,
    status: HoldStatus,
    reference: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .strict();

/**
 * A hold is open: money reserved on the wallet. A hold created and captured by one command (a QR payment's
 * hold-and-capture) was never open outside its transaction and is announced by HoldCaptured alone.
 */
export const HoldCreated = defineEvent({
  context: 'wallet',
  entity: 'hold',
  event: 'created',
  version: 1,
  schema: HoldEventSchema,
  key: (v) => v.walletId,
});
export const HoldCaptured = defineEvent({
  context: 'wallet',
  entity: 'hold',
  event: 'captured',
  version: 1,
  schema: HoldEventSchema,
  key: (v) => v.walletId,
});
export const HoldVoided = defineEvent({
  context: 'wallet',
  entity: 'hold',
  event: 'voided',
  version: 1,
  schema: HoldEventSchema,
  key: (v) => v.walletId,
});
export const HoldExpired = defineEvent({
  context: 'wallet',
  entity: 'hold',
  event: 'expired',
  version: 1,
  schema: HoldEventSchema,
  key: (v) => v.walletId,
});

const WithdrawalEventSchema = z
  .object({
    withdrawalId: IdString,
    walletId: IdString,
    amount: MoneySchema,
    bankAccount: z.string(),
    bankReference: z.string().nullable(),
    reason: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .strict();

export const WithdrawalRequested = defineEvent({
  context: 'wallet',
  entity: 'withdrawal',
  event: 'requested',
  version: 1,
  schema: WithdrawalEventSchema,
  key: (v) => v.walletId,
});
export const WithdrawalCompleted = defineEvent({
  context: 'wallet',
  entity: 'withdrawal',
  event: 'completed',
  version: 1,
  schema: WithdrawalEventSchema,
  key: (v) => v.walletId,
});
export const WithdrawalFailed = defineEvent({
  context: 'wallet',
  entity: 'withdrawal',
  event: 'failed',
  version: 1,
  schema: WithdrawalEventSchema,
  key: (v) => v.walletId,
});

export const WALLET_EVENTS = [
  WalletOpened,
  WalletStatusChanged,
  TransferPosted,
  HoldCreated,
  HoldCaptured,
  HoldVoided,
  HoldExpired,
  WithdrawalRequested,
  WithdrawalCompleted,
  WithdrawalFailed,
] as const;
