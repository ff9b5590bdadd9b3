/**
 * The codes a score request can be refused with, shared so that every caller (lending, the gateway) maps
 * them exhaustively. The message that comes with a code names what to fix.
 */
export const SCORING_ERROR_CODES = [
  'INVALID_REQUEST',
  'PROTECTED_ATTRIBUTE',
  'MISSING_ATTRIBUTE',
  'UNKNOWN_ATTRIBUTE',
  'INVALID_ATTRIBUTE',
  'OUT_OF_RANGE',
  'INVALID_AMOUNT',
  'UNKNOWN_CURRENCY',
] as const;
export type ScoringErrorCode = (typeof SCORING_ERROR_CODES)[number];

/** The HTTP status of each refusal: 400 for a body of the wrong shape, 422 for one the model cannot score. */
export const SCORING_ERROR_STATUS: { [code in ScoringErrorCode]: number } = {
  INVALID_REQUEST: 400,
  PROTECTED_ATTRIBUTE: 422,
  MISSING_ATTRIBUTE: 422,
  UNKNOWN_ATTRIBUTE: 422,
  INVALID_ATTRIBUTE: 422,
  OUT_OF_RANGE: 422,
  INVALID_AMOUNT: 422,
  UNKNOWN_CURRENCY: 422,
};

export function isScoringErrorCode(code: string): code is ScoringErrorCode {
  return (SCORING_ERROR_CODES as readonly string[]).includes(code);
}
