import { type ErrorBody, type SettlementErrorCodeWire } from '@paylend/contracts';
import type { RequestClient } from '@paylend/messaging';
import { statusOfBackendError } from '../http/api-error';
import { CommandClient } from '../http/command.client';

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
export class SettlementClient extends CommandClient {
  constructor(requests: () => RequestClient, timeoutMs: number) {
    super(requests, timeoutMs, 'wallet', statusOfSettlementError);
  }
}
