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
import { InboxContext } from '@paylend/platform';
import { replyOf } from '../common/payments-error';
import { PaymentCodeService } from '../payment-code/payment-code.service';
import { PaymentDriver, replyOfOutcome } from './payment-driver';
import { PaymentService } from './payment.service';

@Controller()
export class PaymentController {
  constructor(
    @Inject(PaymentService) private readonly payments: PaymentService,
    @Inject(PaymentCodeService) private readonly codes: PaymentCodeService,
    @Inject(PaymentDriver) private readonly driver: PaymentDriver,
  ) {}

  /** A started payment is answered later, by the driver, once its wallet half has run. */
  @MessagePattern(payQrCommand.topic)
  async payQr(
    @Payload() cmd: PayloadOf<typeof payQrCommand>,
    @Ctx() ctx: InboxContext,
  ): Promise<Reply<OrderView> | undefined> {
    const r = await replyOf(ctx.tx, () => this.payments.payQr(ctx.tx, cmd));
    if (!r.ok) return r;
    if (r.value.kind === 'started') {
      await this.driver.enqueue(ctx.tx, r.value, ctx.message.headers);
      return undefined;
    }
    return replyOfOutcome(r.value);
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
