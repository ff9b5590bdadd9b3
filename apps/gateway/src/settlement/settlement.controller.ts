import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  type Actor,
  BreakView,
  closeSettlementWindowCommand,
  getSettlementReportCommand,
  importStatementCommand,
  listBreaksCommand,
  listSettlementWindowsCommand,
  ReconciliationView,
  resolveBreakCommand,
  SettlementOutcomeView,
  SettlementWindowView,
  settleWindowCommand,
} from '@paylend/contracts';
import { REQUEST_CLIENT } from '@paylend/platform';
import type { RequestClient } from '@paylend/messaging';
import { z } from 'zod';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import type { GatewayConfig } from '../config/gateway-config';
import { ApiError } from '../http/api-error';
import { ApiRoute } from '../http/api-doc';
import { GATEWAY_CONFIG, IDEMPOTENCY } from '../http/tokens';
import { idParam, validate } from '../http/validation';
import type { HttpOutcome, IdempotencyService } from '../idempotency/idempotency.service';
import { readStatementBody } from './statement-body';
import { SettlementClient } from './settlement.client';
import * as S from './settlement-http.schemas';

function requireOperator(actor: Actor): void {
  if (!actor.roles.includes('operator')) throw new ApiError(403, 'FORBIDDEN', 'settlement is for operators');
}

/**
 * Operator settlement routes. Each sends one command to the wallet (which owns windows, batches and
 * balances, and checks the operator role again in the transaction of the effect). Routes that post to the
 * ledger take an Idempotency-Key, so a retried request returns the first answer.
 */
@ApiTags('settlement')
@UseGuards(AuthGuard)
@Controller('v1/settlement')
export class SettlementController {
  private readonly settlement: SettlementClient;

  constructor(
    @Inject(REQUEST_CLIENT) requests: RequestClient | undefined,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(IDEMPOTENCY) private readonly idem: IdempotencyService,
  ) {
    this.settlement = new SettlementClient(() => {
      if (!requests) throw new Error('the gateway has no request client');
      return requests;
    }, config.GATEWAY_WALLET_TIMEOUT_MS);
  }

  private async once(
    actor: Actor,
    req: Request,
    res: Response,
    key: string | undefined,
    body: unknown,
    status: number,
    run: (operationId: string) => Promise<unknown>,
  ) {
    const outcome: HttpOutcome = await this.idem.run(
      { userId: actor.userId, key, method: req.method, path: req.path, body },
      async (operationId) => ({ status, body: await run(operationId) }),
    );
    res.status(outcome.status);
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return outcome.body;
  }

  @Get('windows')
  @ApiRoute({
    summary: 'Operator: settlement windows with their status and how many cleared transfers each holds',
    response: z.array(SettlementWindowView),
  })
  windows(@CurrentActor() actor: Actor, @Query() raw: unknown) {
    requireOperator(actor);
    const q = validate(S.WindowsQuery, raw, 'query');
    return this.settlement.call(listSettlementWindowsCommand, { actor, ...q });
  }

  @Post('windows/close')
  @ApiRoute({
    summary:
      "Operator: close a scheme's open window now (the clock closes it at the end of the day) and open the next",
    body: S.CloseWindowBody,
    response: z.object({ closed: SettlementWindowView, next: SettlementWindowView }),
    idempotent: true,
  })
  close(
    @CurrentActor() actor: Actor,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireOperator(actor);
    const body = validate(S.CloseWindowBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 200, (operationId) =>
      this.settlement.call(closeSettlementWindowCommand, {
        actor,
        scheme: body.scheme,
        requestId: operationId,
      }),
    );
  }

  @Post('windows/:windowId/settle')
  @ApiRoute({
    summary:
      'Operator: settle a closed window: net each merchant, post payouts through clearing, store the report (settling again posts nothing)',
    response: SettlementOutcomeView,
    idempotent: true,
  })
  settle(
    @CurrentActor() actor: Actor,
    @Param('windowId', idParam) windowId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireOperator(actor);
    return this.once(actor, req, res, key, {}, 200, () =>
      this.settlement.call(settleWindowCommand, { actor, windowId }),
    );
  }

  @Post('statements')
  @ApiRoute({
    summary:
      'Operator: import a bank statement (camt.053 XML or CSV as the body with Content-Type application/xml or text/csv, or JSON {format, content}) and reconcile it',
    body: S.StatementBody,
    response: ReconciliationView,
    idempotent: true,
    status: 201,
  })
  async importStatement(
    @CurrentActor() actor: Actor,
    @Body() raw: unknown,
    @Query() rawQuery: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireOperator(actor);
    const q = validate(S.StatementQuery, rawQuery, 'query');
    const fromFile = await readStatementBody(req);
    const body = fromFile ?? validate(S.StatementBody, raw, 'body');
    const windowIds = body.windowIds ?? (q.windowId === undefined ? undefined : [q.windowId].flat());
    const cmd = { actor, format: body.format, content: body.content, ...(windowIds ? { windowIds } : {}) };
    return this.once(actor, req, res, key, { format: cmd.format, content: cmd.content, windowIds }, 201, () =>
      this.settlement.call(importStatementCommand, cmd),
    );
  }

  @Get('breaks')
  @ApiRoute({
    summary: 'Operator: reconciliation breaks (open by default; ?status=RESOLVED|ALL, ?reconciliationId=)',
    response: z.array(BreakView),
  })
  breaks(@CurrentActor() actor: Actor, @Query() raw: unknown) {
    requireOperator(actor);
    const q = validate(S.BreaksQuery, raw, 'query');
    return this.settlement.call(listBreaksCommand, { actor, ...q });
  }

  @Post('breaks/:breakId/resolve')
  @ApiRoute({
    summary:
      'Operator: resolve a break, posting its residue to the merchant, to write-off, or nowhere; audited with who, when and from where',
    body: S.ResolveBreakBody,
    response: z.object({
      break: BreakView,
      ledgerAccounts: ReconciliationView.shape.ledgerAccounts,
      balanced: z.boolean(),
    }),
    idempotent: true,
  })
  resolve(
    @CurrentActor() actor: Actor,
    @Param('breakId', idParam) breakId: string,
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireOperator(actor);
    const body = validate(S.ResolveBreakBody, raw, 'body');
    return this.once(actor, req, res, key, raw, 200, () =>
      this.settlement.call(resolveBreakCommand, { actor, breakId, ...body }),
    );
  }

  @Get('reports/:windowId')
  @ApiRoute({ summary: "Operator: a settled window's report, as JSON or as a CSV download (?format=csv)" })
  async report(
    @CurrentActor() actor: Actor,
    @Param('windowId', idParam) windowId: string,
    @Query() raw: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireOperator(actor);
    const q = validate(S.ReportQuery, raw, 'query');
    const r = await this.settlement.call(getSettlementReportCommand, { actor, windowId, format: q.format });
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="settlement-${r.windowId}.csv"`);
      return r.content;
    }
    return JSON.parse(r.content) as unknown;
  }
}
