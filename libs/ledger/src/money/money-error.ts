export type MoneyErrorCode =
  | 'CURRENCY_UNKNOWN'
  | 'AMOUNT_NOT_A_STRING'
  | 'AMOUNT_MALFORMED'
  | 'TOO_MANY_DECIMALS'
  | 'CURRENCY_MISMATCH'
  | 'DIVISION_BY_ZERO'
  | 'RATIOS_INVALID'
  | 'ROUNDING_MODE_UNKNOWN';

export class MoneyError extends Error {
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}
