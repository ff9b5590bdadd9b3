import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { chargePaymentCodeCommand, issuePaymentCodeCommand, payQrCommand, type OrderView, type PayloadOf, type Reply } from '@paylend/contracts';
import { InboxContext } from '@paylend/platform';
import { replyOf } from '../common/payments-error';
import { PaymentCodeService } from '../payment-code/payment-code.service';
import { PaymentService, type PaymentOutcome } from './payment.service';

@Controller()
export class PaymentController {
  constructor(
    @Inject(PaymentService) private readonly payments: PaymentService,
    @Inject(PaymentCodeService) private readonly codes: PaymentCodeService,
  ) {}

  @MessagePattern(payQrCommand.topic)
  async payQr(@Payload() cmd: PayloadOf<typeof payQrCommand>, @Ctx() ctx: InboxContext): Promise<Reply<OrderView>> {
    return replyOfOutcome(await replyOf(ctx.tx, () => this.payments.payQr(ctx.tx, cmd)));
  }

  @MessagePattern(issuePaymentCodeCommand.topic)
  issueCode(@Payload() cmd: PayloadOf<typeof issuePaymentCodeCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.codes.issue(ctx.tx, cmd.actor, cmd.walletId));
  }

  /** A decline is kept (the order is FAILED and the code is spent) and answered as PAYMENT_DECLINED. */
  @MessagePattern(chargePaymentCodeCommand.topic)
  async chargeCode(@Payload() cmd: PayloadOf<typeof chargePaymentCodeCommand>, @Ctx() ctx: InboxContext): Promise<Reply<OrderView>> {
    return replyOfOutcome(await replyOf(ctx.tx, () => this.payments.chargeCode(ctx.tx, cmd)));
  }
}

/** A committed outcome as a reply: paid is the order; a recorded decline or a pending capture is a refusal carrying it. */
function replyOfOutcome(r: Reply<PaymentOutcome>): Reply<OrderView> {
  if (!r.ok) return r;
  const o = r.value;
  switch (o.kind) {
    case 'paid':
      return { ok: true, value: o.order };
    case 'declined':
      return { ok: false, error: { code: 'PAYMENT_DECLINED', message: o.message, details: { walletError: o.walletCode, order: o.order } } };
    case 'pending':
      return {
        ok: false,
        error: { code: 'PAYMENT_PENDING', message: `${o.message}; retry with the same request or query the order`, details: { order: o.order } },
      };
  }
}
