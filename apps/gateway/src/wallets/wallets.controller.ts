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
  AuditEntryView,
  auditLogCommand,
  BalanceAsOfView,
  balanceAsOfCommand,
  captureHoldCommand,
  createHoldCommand,
  getHoldCommand,
  getWalletsCommand,
  HoldView,
  openWalletCommand,
  p2pTransferCommand,
  requestWithdrawalCommand,
  setWalletStatusCommand,
  setWalletTierCommand,
  settleWithdrawalCommand,
  StatementView,
  statementCommand,
  topUpCommand,
  TransferView,
  voidHoldCommand,
  WalletView,
  WithdrawalView,
} from '@paylend/contracts';
import { z } from 'zod';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import type { HttpOutcome, IdempotencyService } from '../idempotency/idempotency.service';
import { ApiRoute } from '../http/api-doc';
import { IDEMPOTENCY, WALLET_CLIENT } from '../http/tokens';
import { idParam, validate } from '../http/validation';
import type { WalletClient } from '../http/wallet.client';
import * as S from './wallet-http.schemas';

/**
 * The wallet's HTTP edge. Handlers validate, then send one Kafka command carrying the caller as actor; the
 * wallet decides ownership (a foreign wallet is 404) and operator rights (403), atomically with the effect.
 * Routes that move money need an Idempotency-Key.
 */
@ApiTags('wallets')
@UseGuards(AuthGuard)
@Controller('v1')
export class WalletsController {
  constructor(
    @Inject(WALLET_CLIENT) private readonly wallet: WalletClient,
    @Inject(IDEMPOTENCY) private readonly idem: IdempotencyService,
  ) {}

  /** Runs a money-moving command under the request's Idempotency-Key and writes the (first) response. */
  private async once(
    actor: Actor,
    req: Request,
    res: Response,
    key: string | undefined,
    body: unknown,
    status: number,
    run: (operationId: string) => Promise<unknown>,
  ): Promise<unknown> {
    const t0 = performance.now();
    let walletMs = 0;
    const outcome: HttpOutcome = await this.idem.run(
      { userId: actor.userId, key, method: req.method, path: req.path, body },
      async (operationId) => {
        const t1 = performance.now();
        try {
          return { status, body: await run(operationId) };
        } finally {
          walletMs = performance.now() - t1;
        }
      },
    );
    // Where the time went: the Idempotency-Key store and the wallet round trip over Kafka.
    res.setHeader(
      'Server-Timing',
      `idem;dur=${(performance.now() - t0 - walletMs).toFixed(2)}, wallet;dur=${walletMs.toFixed(2)}`,
    );
    res.status(outcome.status);
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return outcome.body;
  }

  @Post('wallets')
  @ApiRoute({
    summary: 'Open your wallet in a currency (idempotent: an existing wallet is returned with 200)',
    body: S.OpenWalletBody,
    response: WalletView,
    status: 201,
  })
  async open(@CurrentActor() actor: Actor, @Body() raw: unknown, @Res({ passthrough: true }) res: Response) {
    const body = validate(S.OpenWalletBody, raw, 'body');
    const { created, ...view } = await this.wallet.call(openWalletCommand, {
      actor,
      userId: actor.userId,
      currency: body.currency,
    });
    res.status(created ? 201 : 200);
    return view;
  }

  @Get('wallets')
  @ApiRoute({
    summary: "List your wallets (an operator may pass ?userId= to list someone's)",
    response: z.array(WalletView),
  })
  list(@CurrentActor() actor: Actor, @Query() raw: unknown) {
    const q = validate(S.WalletsQuery, raw, 'query');
    return this.wallet.call(getWalletsCommand, { actor, userId: q.userId ?? actor.userId });
  }

  @Get('wallets/:walletId')
  @ApiRoute({ summary: 'One wallet with its balance and available amount', response: WalletView })
  async get(@CurrentActor() actor: Actor, @Param('walletId', idParam) walletId: string) {
    const [w] = await this.wallet.call(getWalletsCommand, { actor, walletId });
    return w;
  }

  @Post('wallets/:walletId/top-ups')
  @ApiRoute({
    summary:
      "Bank or agent integration (service role) or operator: cash-in with the participant's deposit reference (the wallet owner cannot credit itself)",
    body: S.TopUpBody,
    response: TransferView,
    idempotent: true,
    status: 201,
  })
  topUp(
    @CurrentActor() actor: Actor,
    @Param('walletId', idParam) walletId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.TopUpBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 201, () =>
      this.wallet.call(topUpCommand, { actor, walletId, ...body }),
    );
  }

  @Post('wallets/:walletId/transfers')
  @ApiRoute({
    summary: "Send money to another user's wallet in the same currency",
    body: S.TransferBody,
    response: TransferView,
    idempotent: true,
    status: 201,
  })
  transfer(
    @CurrentActor() actor: Actor,
    @Param('walletId', idParam) walletId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.TransferBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 201, (transferId) =>
      this.wallet.call(p2pTransferCommand, { actor, transferId, fromWalletId: walletId, ...body }),
    );
  }

  @Post('wallets/:walletId/withdrawals')
  @ApiRoute({
    summary: 'Cash-out to a bank account: held until the bank confirms or fails',
    body: S.WithdrawalBody,
    response: WithdrawalView,
    idempotent: true,
    status: 201,
  })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('walletId', idParam) walletId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.WithdrawalBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 201, (withdrawalId) =>
      this.wallet.call(requestWithdrawalCommand, { actor, withdrawalId, walletId, ...body }),
    );
  }

  @Post('withdrawals/:withdrawalId/settlement')
  @ApiRoute({
    summary: "Operator: record the bank's answer to a withdrawal (confirmed posts it, failed releases it)",
    body: S.SettleWithdrawalBody,
    response: WithdrawalView,
    idempotent: true,
  })
  settle(
    @CurrentActor() actor: Actor,
    @Param('withdrawalId', idParam) withdrawalId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.SettleWithdrawalBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 200, () =>
      this.wallet.call(settleWithdrawalCommand, { actor, withdrawalId, ...body }),
    );
  }

  @Post('wallets/:walletId/holds')
  @ApiRoute({
    summary: 'Hold an amount on a wallet (captured later in full or part, voided, or expired)',
    body: S.HoldBody,
    response: HoldView,
    idempotent: true,
    status: 201,
  })
  hold(
    @CurrentActor() actor: Actor,
    @Param('walletId', idParam) walletId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.HoldBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 201, (holdId) =>
      this.wallet.call(createHoldCommand, { actor, holdId, walletId, ...body }),
    );
  }

  @Get('holds/:holdId')
  @ApiRoute({ summary: 'One hold', response: HoldView })
  getHold(@CurrentActor() actor: Actor, @Param('holdId', idParam) holdId: string) {
    return this.wallet.call(getHoldCommand, { actor, holdId });
  }

  @Post('holds/:holdId/capture')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Capture a hold in full or in part (the rest is released)',
    body: S.CaptureBody,
    response: HoldView,
    idempotent: true,
  })
  capture(
    @CurrentActor() actor: Actor,
    @Param('holdId', idParam) holdId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = validate(S.CaptureBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 200, () =>
      this.wallet.call(captureHoldCommand, { actor, holdId, ...body }),
    );
  }

  @Post('holds/:holdId/void')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Void a hold, releasing its amount',
    body: S.EmptyBody,
    response: HoldView,
    idempotent: true,
  })
  voidHold(
    @CurrentActor() actor: Actor,
    @Param('holdId', idParam) holdId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    validate(S.EmptyBody, raw, 'body');
    return this.once(actor, req, res, key, raw ?? {}, 200, () =>
      this.wallet.call(voidHoldCommand, { actor, holdId }),
    );
  }

  @Get('wallets/:walletId/statement')
  @ApiRoute({
    summary:
      'Statement: entries oldest first with the running balance; pass nextCursor back for the next page',
    response: StatementView,
  })
  statement(
    @CurrentActor() actor: Actor,
    @Param('walletId', idParam) walletId: string,
    @Query() raw: unknown,
  ) {
    const q = validate(S.StatementQuery, raw, 'query');
    return this.wallet.call(statementCommand, { actor, walletId, ...q });
  }

  @Get('wallets/:walletId/balance')
  @ApiRoute({
    summary: 'Balance now, or as of an instant (?asOf=2026-11-28T12:00:00Z)',
    response: BalanceAsOfView,
  })
  balance(@CurrentActor() actor: Actor, @Param('walletId', idParam) walletId: string, @Query() raw: unknown) {
    const q = validate(S.BalanceQuery, raw, 'query');
    return this.wallet.call(balanceAsOfCommand, {
      actor,
      walletId,
      asOf: new Date(q.asOf ?? Date.now()).toISOString(),
    });
  }

  @Post('wallets/:walletId/freeze')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Operator: freeze a wallet (it can receive, not send); audited',
    body: S.ReasonBody,
    response: WalletView,
  })
  freeze(@CurrentActor() actor: Actor, @Param('walletId', idParam) walletId: string, @Body() raw: unknown) {
    const body = validate(S.ReasonBody, raw, 'body');
    return this.wallet.call(setWalletStatusCommand, {
      actor,
      walletId,
      action: 'freeze',
      reason: body.reason,
    });
  }

  @Post('wallets/:walletId/unfreeze')
  @HttpCode(200)
  @ApiRoute({ summary: 'Operator: unfreeze a wallet; audited', body: S.ReasonBody, response: WalletView })
  unfreeze(@CurrentActor() actor: Actor, @Param('walletId', idParam) walletId: string, @Body() raw: unknown) {
    const body = validate(S.ReasonBody, raw, 'body');
    return this.wallet.call(setWalletStatusCommand, {
      actor,
      walletId,
      action: 'unfreeze',
      reason: body.reason,
    });
  }

  @Put('wallets/:walletId/tier')
  @ApiRoute({ summary: "Operator: set a wallet's KYC tier; audited", body: S.TierBody, response: WalletView })
  tier(@CurrentActor() actor: Actor, @Param('walletId', idParam) walletId: string, @Body() raw: unknown) {
    const body = validate(S.TierBody, raw, 'body');
    return this.wallet.call(setWalletTierCommand, { actor, walletId, ...body });
  }

  @Get('audit-log')
  @ApiRoute({
    summary: 'Operator: the append-only audit log of operator actions, newest first',
    response: z.array(AuditEntryView),
  })
  audit(@CurrentActor() actor: Actor, @Query() raw: unknown) {
    const q = validate(S.AuditQuery, raw, 'query');
    return this.wallet.call(auditLogCommand, { actor, ...q });
  }
}
