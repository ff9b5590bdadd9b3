import { z } from 'zod';
import { defineEvent } from '../message-contract';
import { DecimalString, IdString } from '../common/money.schema';
import { InstructionView, SettlementWindowView } from './settlement-common.schema';

/* Settlement events from the wallet's outbox, keyed by window (or break) so one window's events stay in order. */

export const SettlementWindowClosed = defineEvent({
  context: 'wallet',
  entity: 'settlement-window',
  event: 'closed',
  version: 1,
  schema: z
    .object({ window: SettlementWindowView, by: z.enum(['clock', 'operator']), at: z.iso.datetime() })
    .strict(),
  key: (v) => v.window.windowId,
});

export const SettlementPosted = defineEvent({
  context: 'wallet',
  entity: 'settlement',
  event: 'posted',
  version: 1,
  schema: z
    .object({
      windowId: IdString,
      instructions: z.array(InstructionView),
      postingIds: z.array(z.string()),
      at: z.iso.datetime(),
    })
    .strict(),
  key: (v) => v.windowId,
});

export const StatementReconciled = defineEvent({
  context: 'wallet',
  entity: 'statement',
  event: 'reconciled',
  version: 1,
  schema: z
    .object({
      reconciliationId: z.string(),
      windowIds: z.array(IdString),
      matched: z.number().int().min(0),
      breaks: z.number().int().min(0),
      balanced: z.boolean(),
      at: z.iso.datetime(),
    })
    .strict(),
  key: (v) => v.reconciliationId,
});

export const BreakResolved = defineEvent({
  context: 'wallet',
  entity: 'break',
  event: 'resolved',
  version: 1,
  schema: z
    .object({
      breakId: z.string(),
      operator: z.string(),
      sourceIp: z.string().nullable(),
      reason: z.string(),
      residue: DecimalString.nullable(),
      currency: z.string(),
      at: z.iso.datetime(),
    })
    .strict(),
  key: (v) => v.breakId,
});

export const SETTLEMENT_EVENTS = [
  SettlementWindowClosed,
  SettlementPosted,
  StatementReconciled,
  BreakResolved,
] as const;
