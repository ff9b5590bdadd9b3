import { Body, Controller, Get, Headers, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  type Actor,
  issuePaymentCodeCommand,
  OrderView,
  PaymentCodeView,
  payQrCommand,
} from '@paylend/contracts';
import { REQUEST_CLIENT } from '@paylend/platform';
import type { RequestClient } from '@paylend/messaging';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import type { GatewayConfig } from '../config/gateway-config';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import { ApiRoute } from '../http/api-doc';
import { GATEWAY_CONFIG, IDEMPOTENCY } from '../http/tokens';
import { idParam, validate } from '../http/validation';
import { idFromOperation, once } from './merchant-payments.controller';
import { PaymentsClient } from './payments.client';
import * as S from './payments-http.schemas';

/** The consumer side of payments: scan and pay a merchant QR, and show a payment code. */
@ApiTags('payments')
@UseGuards(AuthGuard)
@Controller('v1')
export class ConsumerPaymentsController {
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

  @Post('payments/scan')
  @ApiRoute({
    summary: 'Pay a scanned merchant QR from your wallet (dynamic: its order; static: the amount you enter)',
    body: S.ScanPayBody,
    response: OrderView,
    idempotent: true,
    status: 201,
  })
  scan(
    @CurrentActor() actor: Actor,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.ScanPayBody, raw, 'body');
    return once(this.idem, actor, req, res, key, raw, 201, (op) =>
      this.payments.call(payQrCommand, {
        actor,
        payerWalletId: body.walletId,
        qrPayload: body.qrPayload,
        ...(body.amount ? { amount: body.amount, orderId: idFromOperation('o', op) } : {}),
      }),
    );
  }

  @Get('wallets/:walletId/payment-code')
  @ApiRoute({
    summary: 'The payment code to show at a till now: 18 digits, changes every 60 s, single use',
    response: PaymentCodeView,
  })
  paymentCode(@CurrentActor() actor: Actor, @Param('walletId', idParam) walletId: string) {
    return this.payments.call(issuePaymentCodeCommand, { actor, walletId });
  }
}
