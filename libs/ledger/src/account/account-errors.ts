export type AccountErrorCode =
  | 'ID_INVALID'
  | 'ID_CONFLICT'
  | 'CURRENCY_UNKNOWN'
  | 'NORMAL_SIDE_INVALID'
  | 'FLAGS_INVALID'
  | 'CREDIT_LIMIT_INVALID'
  | 'OWNER_INVALID'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_NOT_EMPTY'
  | 'STATUS_INVALID';

export const ACCOUNT_ERRORS: Record<AccountErrorCode, string> = {
  ID_INVALID:
    'account id must be 1-128 characters of letters, digits and . _ : - (not starting with a symbol)',
  ID_CONFLICT: 'an account with this id already exists with different attributes; use a new id',
  CURRENCY_UNKNOWN: 'currency is not an ISO 4217 code the ledger knows',
  NORMAL_SIDE_INVALID: 'normalSide must be "debit" or "credit"',
  FLAGS_INVALID: 'debitsMustNotExceedCredits and creditsMustNotExceedDebits cannot both be set',
  CREDIT_LIMIT_INVALID:
    'creditLimit must be a non-negative decimal string within the currency exponent, on an account with exactly one balance flag',
  OWNER_INVALID: 'ownerRef must be a string of at most 200 characters',
  ACCOUNT_NOT_FOUND: 'no account with this id; create it first',
  ACCOUNT_CLOSED: 'the account is closed; closed is terminal',
  ACCOUNT_NOT_EMPTY: 'an account can be closed only with zero posted balance and no pending amounts',
  STATUS_INVALID: 'status must be "active", "frozen" or "closed"',
};

export interface AccountFailure {
  ok: false;
  code: AccountErrorCode;
  message: string;
}

export type AccountResult<T> = { ok: true; value: T } | AccountFailure;

export function accountFailure(code: AccountErrorCode, detail?: string): AccountFailure {
  return { ok: false, code, message: detail ? `${ACCOUNT_ERRORS[code]} (${detail})` : ACCOUNT_ERRORS[code] };
}
