import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  type Actor,
  chargePaymentCodeCommand,
  closeOrderCommand,
  configureWebhookCommand,
  createOrderCommand,
  createStaticQrCommand,
  getMerchantCommand,
  getOrderCommand,
  listOrdersCommand,
  MerchantView,
  onboardMerchantCommand,
  OrderView,
  refundOrderCommand,
  RefundView,
  setMerchantStatusCommand,
  StaticQrView,
  WebhookEndpointView,
} from '@paylend/contracts';
import { renderPng, renderSvg } from '@paylend/emv-qr';
import { REQUEST_CLIENT } from '@paylend/platform';
import type { RequestClient } from '@paylend/messaging';
import { z } from 'zod';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import type { GatewayConfig } from '../config/gateway-config';
import type { HttpOutcome, IdempotencyService } from '../idempotency/idempotency.service';
import { ApiRoute } from '../http/api-doc';
import { ApiError } from '../http/api-error';
import { GATEWAY_CONFIG, IDEMPOTENCY } from '../http/tokens';
import { idParam, validate } from '../http/validation';
import { PaymentsClient } from './payments.client';
import * as S from './payments-http.schemas';

/** An order or refund id from the idempotency operation id: the same key always names the same order. */
export function idFromOperation(prefix: 'o' | 'r', operationId: string): string {
  return `${prefix}${operationId.replace(/^g_/, '').slice(0, 24)}`;
}

/** Runs a command that creates or moves money under the request's Idempotency-Key. */
export async function once(
  idem: IdempotencyService,
  actor: Actor,
  req: Request,
  res: Response,
  key: string | undefined,
  body: unknown,
  status: number,
  run: (operationId: string) => Promise<unknown>,
): Promise<unknown> {
  const outcome: HttpOutcome = await idem.run(
    { userId: actor.userId, key, method: req.method, path: req.path, body },
    async (operationId) => ({ status, body: await run(operationId) }),
  );
  res.status(outcome.status);
  if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return outcome.body;
}

/**
 * The merchant side of payments: onboarding, QR codes, orders, charging payment codes, refunds and
 * webhooks. Ownership is decided by the payments service (a foreign merchant or order is 404).
 */
@ApiTags('merchants')
@UseGuards(AuthGuard)
@Controller('v1')
export class MerchantPaymentsController {
  private readonly payments: PaymentsClient;

  constructor(
    @Inject(REQUEST_CLIENT) requests: RequestClient | undefined,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(IDEMPOTENCY) private readonly idem: IdempotencyService,
  ) {
    this.payments = new PaymentsClient(() => {
      if (!requests) throw new Error('the gateway has no request client');
      return requests;
    }, config.GATEWAY_WALLET_TIMEOUT_MS);
  }

  @Post('merchants')
  @ApiRoute({
    summary: 'Onboard a merchant you own (idempotent by merchantId: an identical one is returned with 200)',
    body: S.OnboardMerchantBody,
    response: MerchantView,
    status: 201,
  })
  async onboard(
    @CurrentActor() actor: Actor,
    @Body() raw: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.OnboardMerchantBody, raw, 'body');
    const { created, ...view } = await this.payments.call(onboardMerchantCommand, { actor, ...body });
    res.status(created ? 201 : 200);
    return view;
  }

  @Get('merchants/:merchantId')
  @ApiRoute({ summary: 'One merchant', response: MerchantView })
  get(@CurrentActor() actor: Actor, @Param('merchantId', idParam) merchantId: string) {
    return this.payments.call(getMerchantCommand, { actor, merchantId });
  }

  @Put('merchants/:merchantId/status')
  @ApiRoute({
    summary: 'Suspend a merchant (the owner or an operator) or reactivate it (an operator)',
    body: S.MerchantStatusBody,
    response: MerchantView,
  })
  status(
    @CurrentActor() actor: Actor,
    @Param('merchantId', idParam) merchantId: string,
    @Body() raw: unknown,
  ) {
    const body = validate(S.MerchantStatusBody, raw, 'body');
    return this.payments.call(setMerchantStatusCommand, { actor, merchantId, status: body.status });
  }

  @Get('merchants/:merchantId/static-qr')
  @ApiRoute({
    summary: "The merchant's static EMV QR payload (the payer enters the amount)",
    response: StaticQrView,
  })
  staticQr(@CurrentActor() actor: Actor, @Param('merchantId', idParam) merchantId: string) {
    return this.payments.call(createStaticQrCommand, { actor, merchantId });
  }

  @Post('merchants/:merchantId/orders')
  @ApiRoute({
    summary:
      'Create a dynamic QR: one order with amount, reference and expiry; the reply carries its EMV payload',
    body: S.CreateOrderBody,
    response: OrderView,
    idempotent: true,
    status: 201,
  })
  createOrder(
    @CurrentActor() actor: Actor,
    @Param('merchantId', idParam) merchantId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.CreateOrderBody, raw, 'body');
    return once(this.idem, actor, req, res, key, raw, 201, async (op) => {
      const { created: _created, ...view } = await this.payments.call(createOrderCommand, {
        actor,
        merchantId,
        orderId: idFromOperation('o', op),
        ...body,
      });
      return view;
    });
  }

  @Get('merchants/:merchantId/orders')
  @ApiRoute({
    summary: "The merchant's orders, newest first; pass nextCursor back for the next page",
    response: z.object({ orders: z.array(OrderView), nextCursor: z.string().nullable() }),
  })
  listOrders(
    @CurrentActor() actor: Actor,
    @Param('merchantId', idParam) merchantId: string,
    @Query() raw: unknown,
  ) {
    const q = validate(S.OrdersQuery, raw, 'query');
    return this.payments.call(listOrdersCommand, { actor, merchantId, ...q });
  }

  @Post('merchants/:merchantId/charges')
  @ApiRoute({
    summary: "Charge a consumer's payment code (scanned at the POS) for an amount",
    body: S.ChargeCodeBody,
    response: OrderView,
    idempotent: true,
    status: 201,
  })
  charge(
    @CurrentActor() actor: Actor,
    @Param('merchantId', idParam) merchantId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.ChargeCodeBody, raw, 'body');
    return once(this.idem, actor, req, res, key, raw, 201, (op) =>
      this.payments.call(chargePaymentCodeCommand, {
        actor,
        merchantId,
        orderId: idFromOperation('o', op),
        ...body,
      }),
    );
  }

  @Get('orders/:orderId')
  @ApiRoute({
    summary:
      "An order's status (the merchant, or the consumer who paid it): the fallback for a missed webhook",
    response: OrderView,
  })
  getOrder(@CurrentActor() actor: Actor, @Param('orderId', idParam) orderId: string) {
    return this.payments.call(getOrderCommand, { actor, orderId });
  }

  @Get('orders/:orderId/qr')
  @ApiRoute({ summary: "A dynamic order's QR code as an image: ?format=png (default) or svg" })
  async orderQr(
    @CurrentActor() actor: Actor,
    @Param('orderId', idParam) orderId: string,
    @Query() raw: unknown,
    @Res() res: Response,
  ) {
    const q = validate(S.QrImageQuery, raw, 'query');
    const order = await this.payments.call(getOrderCommand, { actor, orderId });
    if (!order.qrPayload)
      throw new ApiError(
        404,
        'QR_NOT_AVAILABLE',
        `order ${orderId} is a ${order.kind} order and has no QR code`,
      );
    if (q.format === 'svg') {
      res.type('image/svg+xml').send(await renderSvg(order.qrPayload));
    } else {
      res.type('image/png').send(await renderPng(order.qrPayload));
    }
  }

  @Post('orders/:orderId/close')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Close an unpaid order so its QR can no longer be paid',
    body: S.EmptyBody,
    response: OrderView,
  })
  close(@CurrentActor() actor: Actor, @Param('orderId', idParam) orderId: string, @Body() raw: unknown) {
    validate(S.EmptyBody, raw, 'body');
    return this.payments.call(closeOrderCommand, { actor, orderId });
  }

  @Post('orders/:orderId/refunds')
  @ApiRoute({
    summary: 'Refund part or all of a paid order (several refunds, never above the capture)',
    body: S.RefundBody,
    response: RefundView,
    idempotent: true,
    status: 201,
  })
  refund(
    @CurrentActor() actor: Actor,
    @Param('orderId', idParam) orderId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.RefundBody, raw, 'body');
    return once(this.idem, actor, req, res, key, raw, 201, (op) =>
      this.payments.call(refundOrderCommand, { actor, orderId, refundId: idFromOperation('r', op), ...body }),
    );
  }

  @Put('merchants/:merchantId/webhook')
  @ApiRoute({
    summary: 'Set the webhook URL; a new endpoint (or rotateSecret) returns a new signing secret, shown once',
    body: S.WebhookBody,
    response: WebhookEndpointView,
  })
  webhook(
    @CurrentActor() actor: Actor,
    @Param('merchantId', idParam) merchantId: string,
    @Body() raw: unknown,
  ) {
    const body = validate(S.WebhookBody, raw, 'body');
    return this.payments.call(configureWebhookCommand, { actor, merchantId, ...body });
  }
}
