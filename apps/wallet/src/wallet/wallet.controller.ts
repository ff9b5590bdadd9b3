import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  auditLogCommand,
  balanceAsOfCommand,
  captureHoldCommand,
  createHoldCommand,
  createHoldsCommand,
  getHoldCommand,
  getWalletsCommand,
  openWalletCommand,
  p2pTransferCommand,
  type PayloadOf,
  requestWithdrawalCommand,
  setWalletStatusCommand,
  setWalletTierCommand,
  settleWithdrawalCommand,
  statementCommand,
  topUpCommand,
  voidHoldCommand,
} from '@paylend/contracts';
import { InboxBatchContext, InboxContext } from '@paylend/platform';
import { captureHoldMany } from '../holds/capture-batch.use-case';
import { createHoldManyThenCapture } from '../holds/hold-and-capture.use-case';
import { createHoldsMany } from '../holds/create-holds.use-case';
import { getHold, voidHold } from '../holds/hold.use-cases';
import { auditLog, setWalletStatus, setWalletTier } from '../operator/operator.use-cases';
import { balanceAsOf, statement } from '../statements/statement.use-cases';
import { requestWithdrawal, settleWithdrawal } from '../withdrawals/withdrawal.use-cases';
import type { WalletDeps } from './wallet-core';
import type { HandlerTimings } from './handler-timings';
import { getWallets, openWallet, topUp } from './wallet.use-cases';
import { p2pTransferMany } from './p2p-batch.use-case';

export const WALLET_DEPS = Symbol('WALLET_DEPS');
export const HANDLER_TIMINGS = Symbol('HANDLER_TIMINGS');

/**
 * The wallet's Kafka commands. Each runs on the inbox transaction (`ctx.tx`): the effect, the inbox record,
 * the stored reply and the outbox events commit together, so a redelivered command is applied once.
 */
@Controller()
export class WalletController {
  constructor(
    @Inject(WALLET_DEPS) private readonly deps: WalletDeps,
    @Inject(HANDLER_TIMINGS) private readonly timings: HandlerTimings,
  ) {}

  @MessagePattern(openWalletCommand.topic)
  open(@Payload() cmd: PayloadOf<typeof openWalletCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('openWallet', () => openWallet(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(getWalletsCommand.topic)
  get(@Payload() cmd: PayloadOf<typeof getWalletsCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('getWallets', () => getWallets(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(topUpCommand.topic)
  topUp(@Payload() cmd: PayloadOf<typeof topUpCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('topUp', () => topUp(this.deps, ctx.tx, cmd));
  }

  /** The hot path, set-based: the inbox hands it whole chunks of commands (one transaction per chunk). */
  @MessagePattern(p2pTransferCommand.topic, { batch: true })
  p2p(@Payload() cmds: Array<PayloadOf<typeof p2pTransferCommand>>, @Ctx() ctx: InboxBatchContext) {
    return this.timings.timeMany('p2pTransfer', cmds.length, () => p2pTransferMany(this.deps, ctx.tx, cmds));
  }

  @MessagePattern(requestWithdrawalCommand.topic)
  withdraw(@Payload() cmd: PayloadOf<typeof requestWithdrawalCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('requestWithdrawal', () => requestWithdrawal(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(settleWithdrawalCommand.topic)
  settle(@Payload() cmd: PayloadOf<typeof settleWithdrawalCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('settleWithdrawal', () => settleWithdrawal(this.deps, ctx.tx, cmd));
  }

  /**
   * Set-based like captures: the holds of a chunk of QR payments all point at one merchant wallet, and each
   * is captured in the same transaction when the command asks for it.
   */
  @MessagePattern(createHoldCommand.topic, { batch: true })
  createHold(@Payload() cmds: Array<PayloadOf<typeof createHoldCommand>>, @Ctx() ctx: InboxBatchContext) {
    return this.timings.timeMany('createHold', cmds.length, () =>
      createHoldManyThenCapture(this.deps, ctx.tx, cmds),
    );
  }

  /** Many holds per message (payments sends the QR payments it completes together), set-based per chunk. */
  @MessagePattern(createHoldsCommand.topic, { batch: true })
  createHolds(@Payload() cmds: Array<PayloadOf<typeof createHoldsCommand>>, @Ctx() ctx: InboxBatchContext) {
    return this.timings.timeMany('createHolds', cmds.length, () => createHoldsMany(this.deps, ctx.tx, cmds));
  }

  /** Set-based like P2P: in the QR payments path every capture of a chunk lands in one merchant wallet. */
  @MessagePattern(captureHoldCommand.topic, { batch: true })
  capture(@Payload() cmds: Array<PayloadOf<typeof captureHoldCommand>>, @Ctx() ctx: InboxBatchContext) {
    return this.timings.timeMany('captureHold', cmds.length, () => captureHoldMany(this.deps, ctx.tx, cmds));
  }

  @MessagePattern(voidHoldCommand.topic)
  void(@Payload() cmd: PayloadOf<typeof voidHoldCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('voidHold', () => voidHold(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(getHoldCommand.topic)
  hold(@Payload() cmd: PayloadOf<typeof getHoldCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('getHold', () => getHold(ctx.tx, cmd));
  }

  @MessagePattern(statementCommand.topic)
  statement(@Payload() cmd: PayloadOf<typeof statementCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('statement', () => statement(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(balanceAsOfCommand.topic)
  balanceAsOf(@Payload() cmd: PayloadOf<typeof balanceAsOfCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('balanceAsOf', () => balanceAsOf(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(setWalletStatusCommand.topic)
  setStatus(@Payload() cmd: PayloadOf<typeof setWalletStatusCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('setWalletStatus', () => setWalletStatus(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(setWalletTierCommand.topic)
  setTier(@Payload() cmd: PayloadOf<typeof setWalletTierCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('setWalletTier', () => setWalletTier(this.deps, ctx.tx, cmd));
  }

  @MessagePattern(auditLogCommand.topic)
  audit(@Payload() cmd: PayloadOf<typeof auditLogCommand>, @Ctx() ctx: InboxContext) {
    return this.timings.time('auditLog', () => auditLog(ctx.tx, cmd));
  }
}
