import { type CommandContract, ContractViolation, type PayloadOf, type Reply } from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { ApiError, statusOfBackendError } from './api-error';

/** Sends a wallet command over Kafka and turns its reply into a value or an ApiError. */
export class WalletClient {
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
        statusOfBackendError(reply.error),
        reply.error.code,
        reply.error.message,
        reply.error.details,
      );
    return reply.value as C extends CommandContract<unknown, Reply<infer V>> ? V : never;
  }
}
