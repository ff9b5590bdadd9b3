import { ScoreApplicationSchema, type ScoreApplication } from '@paylend/contracts';
import { Money, MoneyError } from '@paylend/ledger';
import {
  applicationSchemaFor,
  isProtectedAttribute,
  type Application,
  type Scorecard,
} from '@paylend/scorecard';
import { refusal, type ScoringError, type ScoringIssue } from '../errors/scoring-errors';

/**
 * Plausible ranges of the reference model's numeric attributes (German credit: months, DM, % band 1-4).
 * The scorecard itself bins any finite number; a value outside these is a caller's mistake, not a risk.
 */
export const ATTRIBUTE_RANGES: Readonly<Record<string, { min: number; max: number; integer: boolean }>> = {
  duration_months: { min: 1, max: 120, integer: true },
  credit_amount: { min: 1, max: 10_000_000, integer: false },
  installment_rate_pct: { min: 1, max: 4, integer: true },
};

/** Largest amount one application may ask for, in major units of any currency. */
export const MAX_REQUESTED_AMOUNT = '1000000000';

export interface ValidScoreRequest {
  applicationId: string;
  borrowerId: string;
  requested: Money;
  application: Application;
}

export type Validated = { ok: true; value: ValidScoreRequest } | { ok: false; error: ScoringError };

function protectedKeyIssues(keys: string[], prefix: string): ScoringIssue[] {
  return keys.filter(isProtectedAttribute).map((key) => ({
    path: `${prefix}${key}`,
    code: 'PROTECTED_ATTRIBUTE' as const,
    message: `"${key}" is a protected attribute and may not be used for credit scoring; remove it from the request`,
  }));
}

// Building a model's zod schema costs more than scoring; one per loaded model.
const schemas = new WeakMap<Scorecard, ReturnType<typeof applicationSchemaFor>>();
function schemaOf(model: Scorecard) {
  let schema = schemas.get(model);
  if (!schema) schemas.set(model, (schema = applicationSchemaFor(model)));
  return schema;
}

function applicationIssues(model: Scorecard, application: Record<string, unknown>): ScoringIssue[] {
  const issues: ScoringIssue[] = [];
  const parsed = schemaOf(model).safeParse(application);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const path = `application.${key}`;
      if (isProtectedAttribute(key)) continue; // reported once, by protectedKeyIssues
      if (!model.byName.has(key)) {
        issues.push({
          path,
          code: 'UNKNOWN_ATTRIBUTE',
          message: `the model has no attribute "${key}"; it uses ${model.attributes.map((a) => a.name).join(', ')}`,
        });
      } else if (application[key] === undefined) {
        issues.push({ path, code: 'MISSING_ATTRIBUTE', message: `"${key}" is required` });
      } else {
        issues.push({ path, code: 'INVALID_ATTRIBUTE', message: issue.message });
      }
    }
  }
  for (const [name, range] of Object.entries(ATTRIBUTE_RANGES)) {
    const value = application[name];
    if (typeof value !== 'number' || !model.byName.has(name)) continue;
    if (value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
      issues.push({
        path: `application.${name}`,
        code: 'OUT_OF_RANGE',
        message: `"${name}" must be ${range.integer ? 'a whole number ' : ''}between ${range.min} and ${range.max}, got ${value}`,
      });
    }
  }
  return issues;
}

function amountIssues(amount: string, currency: string): { money?: Money; issues: ScoringIssue[] } {
  let money: Money;
  try {
    money = Money.of(amount, currency);
  } catch (err) {
    const unknown = err instanceof MoneyError && err.code === 'CURRENCY_UNKNOWN';
    return {
      issues: [
        {
          path: unknown ? 'requestedAmount.currency' : 'requestedAmount.amount',
          code: unknown ? 'UNKNOWN_CURRENCY' : 'INVALID_AMOUNT',
          message: unknown
            ? `"${currency}" is not an ISO 4217 currency`
            : `requestedAmount ${amount} ${currency} is not a valid amount: ${(err as Error).message}`,
        },
      ],
    };
  }
  if (!money.isPositive() || money.greaterThan(Money.of(MAX_REQUESTED_AMOUNT, currency))) {
    return {
      issues: [
        {
          path: 'requestedAmount.amount',
          code: 'INVALID_AMOUNT',
          message: `requestedAmount must be more than 0 and at most ${MAX_REQUESTED_AMOUNT} ${currency}, got ${amount}`,
        },
      ],
    };
  }
  return { money, issues: [] };
}

/**
 * Checks a score request (already of the command's wire shape) against the model it will be scored with:
 * no protected attribute, exactly the model's attributes with valid values in range, a positive amount in
 * a known currency with no more decimals than the currency has.
 */
export function validateScoreRequest(model: Scorecard, request: ScoreApplication): Validated {
  const issues = [
    ...protectedKeyIssues(Object.keys(request.application), 'application.'),
    ...applicationIssues(model, request.application),
  ];
  const amount = amountIssues(request.requestedAmount.amount, request.requestedAmount.currency);
  issues.push(...amount.issues);
  if (issues.length > 0 || !amount.money) return { ok: false, error: refusal(issues) };
  return {
    ok: true,
    value: {
      applicationId: request.applicationId,
      borrowerId: request.borrowerId,
      requested: amount.money,
      application: request.application,
    },
  };
}

/**
 * Parses an HTTP body into the command's shape. A protected attribute is refused as such wherever it is
 * put (inside `application` or beside it), before any other check, so it is never mistaken for a typo.
 */
export function parseScoreRequestBody(
  body: unknown,
): { ok: true; value: ScoreApplication } | { ok: false; error: ScoringError } {
  const issues: ScoringIssue[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    issues.push(...protectedKeyIssues(Object.keys(record), ''));
    const app = record['application'];
    if (app && typeof app === 'object' && !Array.isArray(app))
      issues.push(...protectedKeyIssues(Object.keys(app), 'application.'));
  }
  const parsed = ScoreApplicationSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const key = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (key.length > 0 && key.every(isProtectedAttribute)) continue;
      issues.push({
        path: path || '(body)',
        code: 'INVALID_REQUEST',
        message: `${path || 'body'}: ${issue.message}`,
      });
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, error: refusal(issues) };
  return { ok: true, value: parsed.data };
}
