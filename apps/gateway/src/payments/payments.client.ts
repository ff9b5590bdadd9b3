import { type ErrorBody, type PaymentsErrorCode } from '@paylend/contracts';
import type { RequestClient } from '@paylend/messaging';
import { statusOfBackendError } from '../http/api-error';
import { CommandClient } from '../http/command.client';

/** The HTTP status of each payments refusal; a record over the union, so a new code cannot be forgotten. */
export const PAYMENTS_ERROR_STATUS: Record<PaymentsErrorCode, number> = {
  MERCHANT_NOT_FOUND: 404,
  MERCHANT_EXISTS: 409,
  MERCHANT_SUSPENDED: 409,
  ORDER_NOT_FOUND: 404,
  ORDER_EXISTS: 409,
  ORDER_NOT_PAYABLE: 409,
  ORDER_EXPIRED: 409,
  ORDER_NOT_REFUNDABLE: 409,
  REFUND_EXCEEDS_CAPTURED: 422,
  REFUND_ID_CONFLICT: 409,
  QR_INVALID: 422,
  QR_TAMPERED: 422,
  QR_NOT_PAYLEND: 422,
  AMOUNT_INVALID: 422,
  CURRENCY_MISMATCH: 422,
  PAYMENT_CODE_INVALID: 422,
  PAYMENT_CODE_EXPIRED: 422,
  PAYMENT_CODE_USED: 409,
  PAYMENT_DECLINED: 422,
  // 503 frees the Idempotency-Key, so the client retries the same request, which finishes the capture.
  PAYMENT_PENDING: 503,
  WALLET_UNAVAILABLE: 503,
  WALLET_REFUSED: 422,
  WEBHOOK_NOT_CONFIGURED: 404,
  FORBIDDEN: 403,
  CURSOR_INVALID: 400,
};

export function statusOfPaymentsError(error: ErrorBody): number {
  return (PAYMENTS_ERROR_STATUS as Record<string, number>)[error.code] ?? statusOfBackendError(error);
}

/** Sends a payments command over Kafka and turns its reply into a value or an ApiError. */
export class PaymentsClient extends CommandClient {
  constructor(requests: () => RequestClient, timeoutMs: number) {
    super(requests, timeoutMs, 'payments', statusOfPaymentsError);
  }
}
