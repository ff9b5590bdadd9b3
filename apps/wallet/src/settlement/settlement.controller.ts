import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  closeSettlementWindowCommand,
  getSettlementReportCommand,
  importStatementCommand,
  listBreaksCommand,
  listSettlementWindowsCommand,
  OrderRefunded,
  OrderSucceeded,
  type PayloadOf,
  resolveBreakCommand,
  settleWindowCommand,
} from '@paylend/contracts';
import { InboxBatchContext, InboxContext } from '@paylend/platform';
import { importStatement, listBreaks, resolveBreakCase } from './reconcile.use-cases';
import type { SettlementDeps } from './settlement-core';
import { getReport, settle } from './settle.use-cases';
import { clearPayments, clearRefund, closeWindow, listWindows } from './window.use-cases';

export const SETTLEMENT_DEPS = Symbol('SETTLEMENT_DEPS');

/**
 * Settlement over Kafka: payments' order events clear captures and refunds into the open window; operator
 * commands close, settle, reconcile and resolve. Each runs on the inbox transaction (`ctx.tx`).
 */
@Controller()
export class SettlementController {
  constructor(@Inject(SETTLEMENT_DEPS) private readonly deps: SettlementDeps) {}

  /** Set-based: a chunk of succeeded orders clears with a constant number of statements. */
  @EventPattern(OrderSucceeded.topic, { batch: true })
  async orderSucceeded(
    @Payload() events: Array<PayloadOf<typeof OrderSucceeded>>,
    @Ctx() ctx: InboxBatchContext,
  ): Promise<undefined[]> {
    if (this.deps.schemaReady) await clearPayments(this.deps, ctx.tx, events);
    return events.map(() => undefined);
  }

  @EventPattern(OrderRefunded.topic)
  async orderRefunded(
    @Payload() e: PayloadOf<typeof OrderRefunded>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    if (this.deps.schemaReady) await clearRefund(this.deps, ctx.tx, e);
  }

  @MessagePattern(closeSettlementWindowCommand.topic)
  close(@Payload() cmd: PayloadOf<typeof closeSettlementWindowCommand>, @Ctx() ctx: InboxContext) {
    return closeWindow(this.deps, ctx.tx, cmd);
  }

  @MessagePattern(listSettlementWindowsCommand.topic)
  windows(@Payload() cmd: PayloadOf<typeof listSettlementWindowsCommand>, @Ctx() ctx: InboxContext) {
    return listWindows(ctx.tx, cmd);
  }

  @MessagePattern(settleWindowCommand.topic)
  settle(@Payload() cmd: PayloadOf<typeof settleWindowCommand>, @Ctx() ctx: InboxContext) {
    return settle(this.deps, ctx.tx, cmd);
  }

  @MessagePattern(importStatementCommand.topic)
  importStatement(@Payload() cmd: PayloadOf<typeof importStatementCommand>, @Ctx() ctx: InboxContext) {
    return importStatement(this.deps, ctx.tx, cmd);
  }

  @MessagePattern(listBreaksCommand.topic)
  listBreaks(@Payload() cmd: PayloadOf<typeof listBreaksCommand>, @Ctx() ctx: InboxContext) {
    return listBreaks(ctx.tx, cmd);
  }

  @MessagePattern(resolveBreakCommand.topic)
  resolve(@Payload() cmd: PayloadOf<typeof resolveBreakCommand>, @Ctx() ctx: InboxContext) {
    return resolveBreakCase(this.deps, ctx.tx, cmd);
  }

  @MessagePattern(getSettlementReportCommand.topic)
  report(@Payload() cmd: PayloadOf<typeof getSettlementReportCommand>, @Ctx() ctx: InboxContext) {
    return getReport(ctx.tx, cmd);
  }
}
