import { HttpException } from '@nestjs/common';
import type { ErrorBody, WalletErrorCode } from '@paylend/contracts';

/** An error a client sees: an HTTP status and the body { code, message, details }. */
export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(details === undefined ? { code, message } : { code, message, details }, status);
  }
}

/** The HTTP status of each wallet refusal; a record over the union, so a new code cannot be forgotten. */
export const WALLET_ERROR_STATUS: Record<WalletErrorCode, number> = {
  WALLET_NOT_FOUND: 404,
  WALLET_EXISTS: 409,
  WALLET_FROZEN: 409,
  WALLET_CLOSED: 409,
  CURRENCY_UNSUPPORTED: 422,
  CURRENCY_MISMATCH: 422,
  AMOUNT_INVALID: 422,
  RECIPIENT_NOT_FOUND: 422,
  SAME_WALLET: 422,
  INSUFFICIENT_FUNDS: 422,
  LIMIT_PER_TRANSACTION: 422,
  LIMIT_DAILY_OUTFLOW: 422,
  LIMIT_MONTHLY_OUTFLOW: 422,
  LIMIT_BALANCE_CAP: 422,
  TIER_UNKNOWN: 422,
  HOLD_NOT_FOUND: 404,
  HOLD_NOT_OPEN: 409,
  HOLD_EXPIRED: 409,
  DEADLINE_PASSED: 504,
  AMOUNT_EXCEEDS_HOLD: 422,
  WITHDRAWAL_NOT_FOUND: 404,
  WITHDRAWAL_NOT_PENDING: 409,
  ID_CONFLICT: 409,
  FORBIDDEN: 403,
  CURSOR_INVALID: 400,
  LEDGER_REFUSED: 422,
};

/** A backend refusal as an HTTP status; codes the gateway does not know (INTERNAL, ...) are a bad gateway. */
export function statusOfBackendError(error: ErrorBody): number {
  return (WALLET_ERROR_STATUS as Record<string, number>)[error.code] ?? 502;
}
