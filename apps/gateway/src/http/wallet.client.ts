import type { RequestClient } from '@paylend/messaging';
import { statusOfBackendError } from './api-error';
import { CommandClient } from './command.client';

/** Sends a wallet command over Kafka and turns its reply into a value or an ApiError. */
export class WalletClient extends CommandClient {
  constructor(requests: () => RequestClient, timeoutMs: number) {
    super(requests, timeoutMs, 'wallet', statusOfBackendError);
  }
}
