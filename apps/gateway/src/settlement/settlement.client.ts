import {
  type CommandContract,
  ContractViolation,
  type ErrorBody,
  type PayloadOf,
  type Reply,
  type SettlementErrorCodeWire,
} from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { ApiError, statusOfBackendError } from '../http/api-error';

/** The HTTP status of each settlement refusal; a record over the union, so a new code cannot be forgotten. */
export const SETTLEMENT_ERROR_STATUS: Record<SettlementErrorCodeWire, number> = {
  FORBIDDEN: 403,
  WINDOW_NOT_FOUND: 404,
  NO_OPEN_WINDOW: 409,
  WINDOW_TRANSITION: 409,
  WINDOW_NOT_SETTLED: 409,
  MERCHANT_UNKNOWN: 422,
  STATEMENT_MALFORMED: 422,
  STATEMENT_ALREADY_IMPORTED: 409,
  NOTHING_TO_RECONCILE: 409,
  WINDOW_ALREADY_RECONCILED: 409,
  BREAK_NOT_FOUND: 404,
  BREAK_ALREADY_RESOLVED: 409,
  RESOLUTION_INVALID: 422,
  LEDGER_REFUSED: 422,
  // 503 frees the Idempotency-Key: the operator retries the same request once payments answers.
  PAYMENTS_UNAVAILABLE: 503,
};

export function statusOfSettlementError(error: ErrorBody): number {
  return (SETTLEMENT_ERROR_STATUS as Record<string, number>)[error.code] ?? statusOfBackendError(error);
}

/** Sends a settlement command to the wallet over Kafka and turns its reply into a value or an ApiError. */
export class SettlementClient {
  constructor(
    private readonly requests: () => RequestClient,
    private readonly timeoutMs: number,
  ) {}

  async call<C extends CommandContract<unknown, Reply<unknown>>>(
    contract: C,
    value: PayloadOf<C>,
  ): Promise<C extends CommandContract<unknown, Reply<infer V>> ? V : never> {
    let reply: Reply<unknown>;
    try {
      reply = await this.requests().request(contract, value, this.timeoutMs);
    } catch (err) {
      if (err instanceof RequestTimeoutError) throw new ApiError(504, err.code, err.message);
      if (err instanceof ContractViolation)
        throw new ApiError(400, 'VALIDATION_FAILED', err.message, err.issues);
      throw new ApiError(
        502,
        'BACKEND_UNAVAILABLE',
        `the wallet service could not be reached: ${(err as Error).message}`,
      );
    }
    if (!reply.ok)
      throw new ApiError(
        statusOfSettlementError(reply.error),
        reply.error.code,
        reply.error.message,
        reply.error.details,
      );
    return reply.value as C extends CommandContract<unknown, Reply<infer V>> ? V : never;
  }
}
