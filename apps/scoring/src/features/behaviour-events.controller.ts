import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RepaymentRecorded, TransferPosted, WalletOpened, type PayloadOf } from '@paylend/contracts';
import { InboxContext, ServiceRuntime } from '@paylend/platform';
import { recordInflow, recordRepayment, recordWalletOpened } from '@paylend/scoring-data-access';
import { daysLate } from './days-late';

/** Keeps the behaviour features current from lending's and the wallet's events, once per event. */
@Controller()
export class BehaviourEventsController {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  @EventPattern(RepaymentRecorded.topic)
  async onRepayment(
    @Payload() event: PayloadOf<typeof RepaymentRecorded>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    const applied = await recordRepayment(ctx.tx, {
      repaymentId: event.repaymentId,
      borrowerId: event.borrowerId,
      loanId: event.loanId,
      dueDate: event.dueDate,
      paidAt: event.paidAt,
      onTime: event.onTime,
      daysLate: daysLate(event.dueDate, event.paidAt),
      amount: event.amount.amount,
      currency: event.amount.currency,
    });
    if (!applied) this.runtime.logger.info({ repaymentId: event.repaymentId }, 'repayment already counted');
  }

  @EventPattern(WalletOpened.topic)
  async onWalletOpened(
    @Payload() event: PayloadOf<typeof WalletOpened>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    await recordWalletOpened(ctx.tx, { walletId: event.walletId, ownerId: event.userId, openedAt: event.at });
  }

  /** Money credited to a wallet is an inflow; a transfer between one wallet and itself is not. */
  @EventPattern(TransferPosted.topic)
  async onTransferPosted(
    @Payload() event: PayloadOf<typeof TransferPosted>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    if (!event.toWalletId || event.toWalletId === event.fromWalletId) return;
    await recordInflow(ctx.tx, {
      transferId: event.transferId,
      walletId: event.toWalletId,
      amount: event.amount.amount,
      currency: event.amount.currency,
    });
  }
}
