import { SCORING_ERROR_STATUS, type ErrorBody, type ScoringErrorCode } from '@paylend/contracts';

export type { ScoringErrorCode };

export interface ScoringIssue {
  path: string;
  code: ScoringErrorCode;
  message: string;
}

/** A refused request: the most important code first, every issue in details so a caller can fix all at once. */
export class ScoringError extends Error {
  constructor(
    readonly code: ScoringErrorCode,
    message: string,
    readonly issues: ScoringIssue[] = [],
  ) {
    super(message);
    this.name = 'ScoringError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, details: { issues: this.issues } };
  }
}

/** Every refusal is the caller's to fix; the HTTP status says which kind. */
export const HTTP_STATUS_OF = SCORING_ERROR_STATUS;

/** When several issues are found, the reported code is the first of these that occurs. */
export const CODE_PRECEDENCE: readonly ScoringErrorCode[] = [
  'PROTECTED_ATTRIBUTE',
  'INVALID_REQUEST',
  'MISSING_ATTRIBUTE',
  'UNKNOWN_ATTRIBUTE',
  'INVALID_ATTRIBUTE',
  'OUT_OF_RANGE',
  'UNKNOWN_CURRENCY',
  'INVALID_AMOUNT',
];

export function refusal(issues: ScoringIssue[]): ScoringError {
  const code = CODE_PRECEDENCE.find((c) => issues.some((i) => i.code === c)) ?? 'INVALID_REQUEST';
  const first = issues.find((i) => i.code === code);
  const more =
    issues.length > 1
      ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''} in details)`
      : '';
  return new ScoringError(code, `${first?.message ?? 'the request is invalid'}${more}`, issues);
}
