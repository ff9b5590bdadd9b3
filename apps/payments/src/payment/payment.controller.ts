import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  chargePaymentCodeCommand,
  issuePaymentCodeCommand,
  payQrCommand,
  type OrderView,
  type PayloadOf,
  type Reply,
} from '@paylend/contracts';
import { InboxBatchContext, InboxContext } from '@paylend/platform';
import { replyOf } from '../common/payments-error';
import { PaymentCodeService } from '../payment-code/payment-code.service';
import { PaymentDriver } from './payment-driver';
import { replyOfOutcome } from './payment-outcome';
import { PaymentService } from './payment.service';

@Controller()
export class PaymentController {
  constructor(
    @Inject(PaymentService) private readonly payments: PaymentService,
    @Inject(PaymentCodeService) private readonly codes: PaymentCodeService,
    @Inject(PaymentDriver) private readonly driver: PaymentDriver,
  ) {}

  /**
   * Set-based: a chunk of pay commands commits on one transaction. A started payment is answered later, by
   * the driver, once its wallet half has run.
   */
  @MessagePattern(payQrCommand.topic, { batch: true })
  async payQr(
    @Payload() cmds: Array<PayloadOf<typeof payQrCommand>>,
    @Ctx() ctx: InboxBatchContext,
  ): Promise<Array<Reply<OrderView> | undefined>> {
    const results = await this.payments.payQrMany(ctx.tx, cmds);
    await this.driver.enqueueMany(
      ctx.tx,
      results.flatMap((r, i) =>
        r.ok && r.value.kind === 'started' ? [{ started: r.value, headers: ctx.messages[i]!.headers }] : [],
      ),
    );
    return results.map((r) => (!r.ok ? r : r.value.kind === 'started' ? undefined : replyOfOutcome(r.value)));
  }

  @MessagePattern(issuePaymentCodeCommand.topic)
  issueCode(@Payload() cmd: PayloadOf<typeof issuePaymentCodeCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.codes.issue(ctx.tx, cmd.actor, cmd.walletId));
  }

  /** A decline is kept (the order is FAILED and the code is spent) and answered as PAYMENT_DECLINED. */
  @MessagePattern(chargePaymentCodeCommand.topic)
  async chargeCode(
    @Payload() cmd: PayloadOf<typeof chargePaymentCodeCommand>,
    @Ctx() ctx: InboxContext,
  ): Promise<Reply<OrderView>> {
    const r = await replyOf(ctx.tx, () => this.payments.chargeCode(ctx.tx, cmd));
    return r.ok ? replyOfOutcome(r.value) : r;
  }
}
