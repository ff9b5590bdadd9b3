import { Transfer } from './transfer';

/** Stable codes of a refused transfer. Every code has a sentence below saying what to fix. */
export type TransferErrorCode =
  | 'TYPE_INVALID'
  | 'ID_INVALID'
  | 'AMOUNT_INVALID'
  | 'CURRENCY_UNKNOWN'
  | 'CURRENCY_MISMATCH'
  | 'CODE_INVALID'
  | 'METADATA_INVALID'
  | 'TIMEOUT_INVALID'
  | 'SAME_ACCOUNT'
  | 'ID_CONFLICT'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_FROZEN'
  | 'INSUFFICIENT_FUNDS'
  | 'LIMIT_EXCEEDED'
  | 'OVERFLOW'
  | 'PENDING_NOT_FOUND'
  | 'PENDING_EXPIRED'
  | 'PENDING_ALREADY_POSTED'
  | 'PENDING_ALREADY_VOIDED'
  | 'AMOUNT_EXCEEDS_PENDING'
  | 'LINKED_TRANSFER_FAILED'
  | 'LINKED_CHAIN_OPEN';

export const TRANSFER_ERRORS: Record<TransferErrorCode, string> = {
  TYPE_INVALID: 'type must be "single", "pending", "post_pending" or "void_pending"',
  ID_INVALID:
    'transfer id must be 1-128 characters of letters, digits and . _ : - (not starting with a symbol)',
  AMOUNT_INVALID:
    'amount must be a positive decimal string with at most the currency exponent decimals (and below 10^17 minor units)',
  CURRENCY_UNKNOWN: 'currency is not an ISO 4217 code the ledger knows',
  CURRENCY_MISMATCH: "the transfer's currency must equal the currency of both accounts",
  CODE_INVALID:
    'code must be an integer 0..2147483647 or a 1-64 character string of letters, digits and . _ : - that is not all digits',
  METADATA_INVALID: 'metadata must be a plain JSON object of at most 4096 bytes',
  TIMEOUT_INVALID: 'timeoutSeconds must be a positive integer of at most 31536000 (one year)',
  SAME_ACCOUNT: 'debit and credit account must differ',
  ID_CONFLICT: 'a transfer with this id exists with a different payload; use a new id for a new transfer',
  ACCOUNT_NOT_FOUND: 'an account of the transfer does not exist; create it first',
  ACCOUNT_CLOSED: 'an account of the transfer is closed and takes no more movements',
  ACCOUNT_FROZEN: 'the debit account is frozen: it can receive money but cannot be debited until unfrozen',
  INSUFFICIENT_FUNDS: 'the account balance is too low for this amount',
  LIMIT_EXCEEDED: 'the amount would take the account past its credit limit',
  OVERFLOW: 'the amount would overflow an account balance',
  PENDING_NOT_FOUND: 'no pending transfer with this pendingId',
  PENDING_EXPIRED: 'the pending transfer has timed out; its hold is (or will be) released',
  PENDING_ALREADY_POSTED: 'the pending transfer was already posted',
  PENDING_ALREADY_VOIDED: 'the pending transfer was already voided',
  AMOUNT_EXCEEDS_PENDING: 'a post cannot take more than the pending amount',
  LINKED_TRANSFER_FAILED: 'another transfer of the same linked chain failed, so this one was not applied',
  LINKED_CHAIN_OPEN:
    'the last transfer of the batch has linked=true; end every chain with an unlinked transfer',
};

export interface TransferFailure {
  ok: false;
  code: TransferErrorCode;
  message: string;
}

export interface TransferSuccess {
  ok: true;
  transfer: Transfer;
  /** True when this id had already been applied with the same payload and its first result is returned. */
  replayed: boolean;
}

export type PostResult = TransferSuccess | TransferFailure;

export function transferFailure(code: TransferErrorCode, detail?: string): TransferFailure {
  return {
    ok: false,
    code,
    message: detail ? `${TRANSFER_ERRORS[code]} (${detail})` : TRANSFER_ERRORS[code],
  };
}
