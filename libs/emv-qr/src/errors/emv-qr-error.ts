/**
 * Stable error codes. Callers (the CLI, the payments service) branch on these, so a code is never renamed;
 * a new failure gets a new code.
 */
export type EmvQrErrorCode =
  | 'NOT_A_STRING'
  | 'EMPTY_PAYLOAD'
  | 'ID_MALFORMED'
  | 'LENGTH_MALFORMED'
  | 'LENGTH_OVERRUN'
  | 'ILL_FORMED_UNICODE'
  | 'PAYLOAD_FORMAT_INVALID'
  | 'CRC_MISSING'
  | 'CRC_NOT_LAST'
  | 'CRC_MALFORMED'
  | 'CRC_MISMATCH'
  | 'DUPLICATE_ID'
  | 'MANDATORY_MISSING'
  | 'CONDITIONAL_MISMATCH'
  | 'VALUE_TOO_LONG'
  | 'VALUE_INVALID'
  | 'AMOUNT_MALFORMED'
  | 'CURRENCY_UNKNOWN'
  | 'COUNTRY_UNKNOWN'
  | 'PROFILE_MISMATCH'
  | 'CPM_BASE64_INVALID'
  | 'CPM_TLV_MALFORMED'
  | 'CPM_FORMAT_INVALID';

export interface EmvQrError {
  code: EmvQrErrorCode;
  /** A sentence naming what is wrong and what to fix. */
  message: string;
  /**
   * 0-based position of the offending character: in MPM a character (code point) index into the payload;
   * in CPM a byte offset into the base64-decoded data. For an encode error, -1 (there is no payload yet).
   */
  position: number;
  /** For encode errors: the field path the caller supplied (e.g. `merchantName`, `additionalData.billNumber`). */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EmvQrError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(code: EmvQrErrorCode, message: string, position: number, field?: string): Result<T> {
  const error: EmvQrError =
    field === undefined ? { code, message, position } : { code, message, position, field };
  return { ok: false, error };
}

/** Thrown by the `encode*` conveniences that return a plain string; `tryEncode*` return the same error as a value. */
export class EmvQrEncodeError extends Error {
  readonly code: EmvQrErrorCode;
  readonly field: string | undefined;
  constructor(readonly error: EmvQrError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'EmvQrEncodeError';
    this.code = error.code;
    this.field = error.field;
  }
}

/** Unwraps a Result or throws its error as an EmvQrEncodeError. */
export function unwrapOrThrow<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new EmvQrEncodeError(result.error);
}
