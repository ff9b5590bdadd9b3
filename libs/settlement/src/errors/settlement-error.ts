/** Stable error codes: callers (CLI, services, HTTP mappers) switch on these, never on messages. */
export type SettlementErrorCode =
  | 'AMOUNT_MALFORMED'
  | 'AMOUNT_TOO_PRECISE'
  | 'AMOUNT_NEGATIVE'
  | 'AMOUNT_OVERFLOW'
  | 'CURRENCY_UNKNOWN'
  | 'CSV_HEADER'
  | 'CSV_LINE'
  | 'DUPLICATE_TRANSFER'
  | 'SAME_PAYER_PAYEE'
  | 'WINDOW_NOT_FOUND'
  | 'WINDOW_ALREADY_OPEN'
  | 'WINDOW_TRANSITION'
  | 'TRANSFER_ALREADY_ASSIGNED'
  | 'NO_OPEN_WINDOW'
  | 'MERCHANT_UNKNOWN'
  | 'STATEMENT_MALFORMED'
  | 'REPORT_MALFORMED'
  | 'BREAK_ALREADY_RESOLVED'
  | 'RESOLUTION_INVALID';

export class SettlementError extends Error {
  override readonly name = 'SettlementError';
  constructor(
    readonly code: SettlementErrorCode,
    message: string,
    /** 1-based line number in the input file the error is about, when there is one. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}
