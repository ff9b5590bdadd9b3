import { z } from 'zod';
import { defineCommand } from '../message-contract';
import { replyEnvelope } from '../common/reply.schema';
import { IdString } from '../common/money.schema';
import { ActorSchema } from '../wallet/wallet-common.schema';
import {
  BreakView,
  ReconciliationView,
  ResolutionTargetSchema,
  SchemeId,
  SettlementOutcomeView,
  SettlementWindowView,
} from './settlement-common.schema';

/*
 * Operator commands on settlement, handled by the wallet (which owns windows, batches and balances).
 * Every one carries the authenticated actor; the wallet refuses anyone but an operator with FORBIDDEN.
 */

export const CloseSettlementWindowSchema = z
  .object({
    actor: ActorSchema,
    scheme: SchemeId,
    /**
     * The caller's id for this close (the gateway sends its idempotency operation id): a repeat with the
     * same id answers with the window that request closed instead of closing the next one.
     */
    requestId: IdString.optional(),
  })
  .strict();
export const closeSettlementWindowCommand = defineCommand({
  context: 'wallet',
  command: 'close-settlement-window',
  version: 1,
  schema: CloseSettlementWindowSchema,
  reply: replyEnvelope(z.object({ closed: SettlementWindowView, next: SettlementWindowView }).strict()),
  key: (v) => v.scheme,
});

export const ListSettlementWindowsSchema = z
  .object({
    actor: ActorSchema,
    scheme: SchemeId.optional(),
    status: z.enum(['OPEN', 'CLOSED', 'PENDING_SETTLEMENT', 'SETTLED', 'ABORTED']).optional(),
  })
  .strict();
export const listSettlementWindowsCommand = defineCommand({
  context: 'wallet',
  command: 'list-settlement-windows',
  version: 1,
  schema: ListSettlementWindowsSchema,
  reply: replyEnvelope(z.array(SettlementWindowView)),
  key: (v) => v.scheme ?? 'windows',
});

export const SettleWindowSchema = z.object({ actor: ActorSchema, windowId: IdString }).strict();
export const settleWindowCommand = defineCommand({
  context: 'wallet',
  command: 'settle-window',
  version: 1,
  schema: SettleWindowSchema,
  reply: replyEnvelope(SettlementOutcomeView),
  key: (v) => v.windowId,
});

/** Statements are small text files (one bank account, one day): 4 MB keeps them well inside a Kafka message. */
export const ImportStatementSchema = z
  .object({
    actor: ActorSchema,
    format: z.enum(['camt053', 'csv']),
    content: z.string().min(1).max(4_000_000),
    /** The windows to reconcile against; default: every settled window not yet reconciled. */
    windowIds: z.array(IdString).max(366).optional(),
  })
  .strict();
export const importStatementCommand = defineCommand({
  context: 'wallet',
  command: 'import-statement',
  version: 1,
  schema: ImportStatementSchema,
  reply: replyEnvelope(ReconciliationView),
  key: () => 'statements',
});

export const ListBreaksSchema = z
  .object({
    actor: ActorSchema,
    status: z.enum(['OPEN', 'RESOLVED', 'ALL']).optional(),
    reconciliationId: z.string().max(128).optional(),
  })
  .strict();
export const listBreaksCommand = defineCommand({
  context: 'wallet',
  command: 'list-breaks',
  version: 1,
  schema: ListBreaksSchema,
  reply: replyEnvelope(z.array(BreakView)),
  key: () => 'breaks',
});

export const ResolveBreakSchema = z
  .object({
    actor: ActorSchema,
    breakId: z.string().min(1).max(128),
    reason: z.string().min(3).max(500),
    target: ResolutionTargetSchema,
  })
  .strict();
export const resolveBreakCommand = defineCommand({
  context: 'wallet',
  command: 'resolve-break',
  version: 1,
  schema: ResolveBreakSchema,
  reply: replyEnvelope(
    z
      .object({
        break: BreakView,
        ledgerAccounts: ReconciliationView.shape.ledgerAccounts,
        balanced: z.boolean(),
      })
      .strict(),
  ),
  key: (v) => v.breakId,
});

export const GetSettlementReportSchema = z
  .object({ actor: ActorSchema, windowId: IdString, format: z.enum(['json', 'csv']) })
  .strict();
export const getSettlementReportCommand = defineCommand({
  context: 'wallet',
  command: 'get-settlement-report',
  version: 1,
  schema: GetSettlementReportSchema,
  reply: replyEnvelope(
    z.object({ windowId: IdString, format: z.enum(['json', 'csv']), content: z.string() }).strict(),
  ),
  key: (v) => v.windowId,
});

export const SETTLEMENT_COMMANDS = [
  closeSettlementWindowCommand,
  listSettlementWindowsCommand,
  settleWindowCommand,
  importStatementCommand,
  listBreaksCommand,
  resolveBreakCommand,
  getSettlementReportCommand,
] as const;
