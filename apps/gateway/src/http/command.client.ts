import {
  type CommandContract,
  ContractViolation,
  type ErrorBody,
  type PayloadOf,
  type Reply,
} from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { ApiError } from './api-error';

export type ReplyValue<C> = C extends CommandContract<unknown, Reply<infer V>> ? V : never;

/**
 * Sends a command over Kafka and turns its reply into a value or an ApiError: a timeout is 504, a request
 * that breaks its contract 400, an unreachable broker 502, and a refusal the status `statusOf` maps it to.
 */
export class CommandClient {
  constructor(
    private readonly requests: () => RequestClient,
    private readonly timeoutMs: number,
    private readonly service: string,
    private readonly statusOf: (error: ErrorBody) => number,
  ) {}

  async call<C extends CommandContract<unknown, Reply<unknown>>>(
    contract: C,
    value: PayloadOf<C>,
  ): Promise<ReplyValue<C>> {
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
        `the ${this.service} service could not be reached: ${(err as Error).message}`,
      );
    }
    if (!reply.ok)
      throw new ApiError(
        this.statusOf(reply.error),
        reply.error.code,
        reply.error.message,
        reply.error.details,
      );
    return reply.value as ReplyValue<C>;
  }
}
