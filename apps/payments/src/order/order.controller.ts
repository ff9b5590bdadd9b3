import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  closeOrderCommand,
  createOrderCommand,
  getOrderCommand,
  listOrdersCommand,
  refundOrderCommand,
  type PayloadOf,
} from '@paylend/contracts';
import { InboxContext } from '@paylend/platform';
import { replyOf } from '../common/payments-error';
import { OrderService } from './order.service';

@Controller()
export class OrderController {
  constructor(@Inject(OrderService) private readonly orders: OrderService) {}

  @MessagePattern(createOrderCommand.topic)
  create(@Payload() cmd: PayloadOf<typeof createOrderCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.orders.create(ctx.tx, cmd));
  }

  @MessagePattern(getOrderCommand.topic)
  get(@Payload() cmd: PayloadOf<typeof getOrderCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.orders.get(ctx.tx, cmd.actor, cmd.orderId));
  }

  @MessagePattern(listOrdersCommand.topic)
  list(@Payload() cmd: PayloadOf<typeof listOrdersCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.orders.list(ctx.tx, cmd));
  }

  @MessagePattern(closeOrderCommand.topic)
  close(@Payload() cmd: PayloadOf<typeof closeOrderCommand>, @Ctx() ctx: InboxContext) {
    return replyOf(ctx.tx, () => this.orders.close(ctx.tx, cmd.actor, cmd.orderId));
  }

  /** A refund the wallet did not confirm is answered with an error that keeps it pending (see refund). */
  @MessagePattern(refundOrderCommand.topic)
  async refund(@Payload() cmd: PayloadOf<typeof refundOrderCommand>, @Ctx() ctx: InboxContext) {
    const r = await replyOf(ctx.tx, () => this.orders.refund(ctx.tx, cmd));
    return r.ok ? r.value : r;
  }
}
