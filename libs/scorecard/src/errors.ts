/** Stable codes a caller can switch on; the message names what to fix. */
export type ScorecardErrorCode =
  | 'PROTECTED_ATTRIBUTE'
  | 'UNKNOWN_ATTRIBUTE'
  | 'MISSING_VALUE'
  | 'INVALID_VALUE'
  | 'UNKNOWN_CATEGORY'
  | 'INVALID_DATA'
  | 'INVALID_OPTION'
  | 'INVALID_MODEL'
  | 'NO_ATTRIBUTES_SELECTED'
  | 'NOT_CONVERGED'
  | 'EMPTY_SAMPLE';

export class ScorecardError extends Error {
  constructor(
    readonly code: ScorecardErrorCode,
    /** What is wrong, without the code: for rewrapping under another code. */
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ScorecardError';
  }
}
