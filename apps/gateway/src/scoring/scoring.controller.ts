import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  type CommandContract,
  ContractViolation,
  isScoringErrorCode,
  type PayloadOf,
  PopulationStabilityCommand,
  PopulationStabilitySchema,
  type Reply,
  SCORING_ERROR_STATUS,
  ScoreApplicationCommand,
  ScoreApplicationSchema,
  ScoreDecisionSchema,
} from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { REQUEST_CLIENT } from '@paylend/platform';
import { isProtectedAttribute } from '@paylend/scorecard';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ApiRoute } from '../http/api-doc';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validation';

const SCORING_TIMEOUT_MS = 8000;

/** Operators only: scoring is a back-office tool here (borrowers are scored by lending over Kafka). */
function requireOperator(actor: Actor): void {
  if (!actor.roles.includes('operator'))
    throw new ApiError(403, 'FORBIDDEN', 'scoring routes are for the operator role only');
}

/** Protected attributes are refused by name before anything is sent, wherever they are put in the body. */
function refuseProtectedAttributes(raw: unknown): void {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
  const body = raw as Record<string, unknown>;
  const app = body['application'];
  const keys = [
    ...Object.keys(body),
    ...(app && typeof app === 'object' && !Array.isArray(app) ? Object.keys(app) : []),
  ];
  const found = keys.filter(isProtectedAttribute);
  if (found.length > 0) {
    throw new ApiError(
      422,
      'PROTECTED_ATTRIBUTE',
      `${found.map((k) => `"${k}"`).join(', ')} ${found.length === 1 ? 'is a protected attribute' : 'are protected attributes'} and may not be used for credit scoring; remove ${found.length === 1 ? 'it' : 'them'}`,
      { attributes: found },
    );
  }
}

/**
 * The scoring service's HTTP edge for operators: score an application and read the live model's population
 * stability, both over Kafka request/reply. Refusals keep the scoring service's stable codes.
 */
@ApiTags('scoring')
@UseGuards(AuthGuard)
@Controller('v1/scoring')
export class ScoringController {
  constructor(@Inject(REQUEST_CLIENT) private readonly requests: RequestClient) {}

  @Post('score')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Score an application: PD, score, grade, reason codes, decision and maximum amount (operator)',
    body: ScoreApplicationSchema,
    response: ScoreDecisionSchema,
  })
  async score(@CurrentActor() actor: Actor, @Body() raw: unknown) {
    requireOperator(actor);
    refuseProtectedAttributes(raw);
    const body = validate(ScoreApplicationSchema, raw, 'body');
    return this.call(ScoreApplicationCommand, body);
  }

  @Get('monitoring/psi')
  @ApiRoute({
    summary: "Population stability of recent applications against the model's training population (operator)",
    response: PopulationStabilitySchema,
  })
  async psi(@CurrentActor() actor: Actor) {
    requireOperator(actor);
    return this.call(PopulationStabilityCommand, { requestedBy: actor.userId });
  }

  private async call<C extends CommandContract<unknown, Reply<unknown>>>(
    contract: C,
    value: PayloadOf<C>,
  ): Promise<C extends CommandContract<unknown, Reply<infer V>> ? V : never> {
    let reply: Reply<unknown>;
    try {
      reply = await this.requests.request(contract, value, SCORING_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof RequestTimeoutError) throw new ApiError(504, err.code, err.message);
      if (err instanceof ContractViolation)
        throw new ApiError(400, 'VALIDATION_FAILED', err.message, err.issues);
      throw new ApiError(
        502,
        'BACKEND_UNAVAILABLE',
        `the scoring service could not be reached: ${(err as Error).message}`,
      );
    }
    if (!reply.ok) {
      const status = isScoringErrorCode(reply.error.code) ? SCORING_ERROR_STATUS[reply.error.code] : 502;
      throw new ApiError(status, reply.error.code, reply.error.message, reply.error.details);
    }
    return reply.value as C extends CommandContract<unknown, Reply<infer V>> ? V : never;
  }
}
