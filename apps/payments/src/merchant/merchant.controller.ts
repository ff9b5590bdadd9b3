import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  configureWebhookCommand,
  createStaticQrCommand,
  getMerchantCommand,
  onboardMerchantCommand,
  setMerchantStatusCommand,
  type PayloadOf,
} from '@paylend/contracts';
import { InboxContext } from '@paylend/platform';
import { replyOf } from '../common/payments-error';
import { MerchantService } from './merchant.service';

@Controller()
export class MerchantController {
  constructor(@Inject(MerchantService) private readonly merchants: MerchantService) {}

  @MessagePattern(onboardMerchantCommand.topic)
  onboard(@Payload() cmd: PayloadOf<typeof onboardMerchantCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.merchants.onboard(ctx.tx, cmd));
  }

  @MessagePattern(getMerchantCommand.topic)
  get(@Payload() cmd: PayloadOf<typeof getMerchantCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.merchants.get(ctx.tx, cmd.actor, cmd.merchantId));
  }

  @MessagePattern(setMerchantStatusCommand.topic)
  setStatus(@Payload() cmd: PayloadOf<typeof setMerchantStatusCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.merchants.setStatus(ctx.tx, cmd));
  }

  @MessagePattern(createStaticQrCommand.topic)
  staticQr(@Payload() cmd: PayloadOf<typeof createStaticQrCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.merchants.staticQr(ctx.tx, cmd.actor, cmd.merchantId));
  }

  @MessagePattern(configureWebhookCommand.topic)
  configureWebhook(@Payload() cmd: PayloadOf<typeof configureWebhookCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.merchants.configureWebhook(ctx.tx, cmd));
  }
}
