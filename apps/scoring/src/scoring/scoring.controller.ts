import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import {
  isScoringErrorCode,
  ScoreApplicationCommand,
  type Reply,
  type ScoreApplication,
  type ScoreDecisionDto,
} from '@paylend/contracts';
import { InboxContext, inTransaction, PG_POOL } from '@paylend/platform';
import { DECISION_READER, type DecisionReader } from '@paylend/scoring-data-access';
import { parseScoreRequestBody } from '../application/score-request';
import { HTTP_STATUS_OF } from '../errors/scoring-errors';
import { ApplicationScorer } from './application-scorer';

/** Score requests from other services (Kafka) and operators (HTTP); both run the same use case. */
@Controller('v1/scoring')
export class ScoringController {
  constructor(
    private readonly scorer: ApplicationScorer,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DECISION_READER) private readonly decisions: DecisionReader,
  ) {}

  @MessagePattern(ScoreApplicationCommand.topic)
  scoreCommand(
    @Payload() command: ScoreApplication,
    @Ctx() ctx: InboxContext,
  ): Promise<Reply<ScoreDecisionDto>> {
    return this.scorer.score(ctx.tx, command, { channel: 'kafka', requestId: ctx.message.messageId });
  }

  @Post('score')
  @HttpCode(200)
  async scoreHttp(@Body() body: unknown): Promise<ScoreDecisionDto> {
    const parsed = parseScoreRequestBody(body);
    if (!parsed.ok) throw new HttpException(parsed.error.toBody(), HTTP_STATUS_OF[parsed.error.code]);
    const reply = await inTransaction(this.pool, (tx) =>
      this.scorer.score(tx, parsed.value, { channel: 'http', requestId: randomUUID() }),
    );
    if (!reply.ok)
      throw new HttpException(
        reply.error,
        isScoringErrorCode(reply.error.code) ? HTTP_STATUS_OF[reply.error.code] : 500,
      );
    return reply.value;
  }

  /** The stored decision with its model version, policy version and inputs: what an auditor reads. */
  @Get('decisions/:decisionId')
  async decision(@Param('decisionId') decisionId: string) {
    const found = await this.decisions.byDecisionId(decisionId);
    if (!found)
      throw new NotFoundException({ code: 'DECISION_NOT_FOUND', message: `no decision ${decisionId}` });
    return found;
  }
}
