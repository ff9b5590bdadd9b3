import type { Money } from '@paylend/ledger';
import { gradeOf, scaledScore, sigmoid, type Scorecard } from '@paylend/scorecard';
import type { BehaviourEffect } from './behaviour-policy';

export type Decision = 'approve' | 'refer' | 'decline';

/**
 * The decision policy, version `decision-v1` (documented in apps/scoring/README.md):
 * - decline when the combined PD reaches the model's cost-optimal cut-off (1/6 for the reference model:
 *   a bad loan costs five times a good one forgone) or the borrower has 3+ late repayments;
 * - refer to an operator when the PD reaches 10% (grade D or worse) or there is any late repayment;
 * - approve otherwise.
 * The maximum amount is the requested amount times the grade's multiple, rounded down to the currency's
 * minor unit; it is zero on decline.
 */
export const DECISION_POLICY = {
  referPd: 0.1,
  declineLateRepayments: 3,
  referLateRepayments: 1,
  maxAmountMultiple: { A: '1.5', B: '1.25', C: '1', D: '0.75', E: '0.5', F: '0', G: '0' } as Record<
    string,
    string
  >,
} as const;

export const POLICY_VERSION = 'decision-v1+behaviour-v1';

export interface CombinedResult {
  pd: number;
  score: number;
  grade: string;
  subGrade: string;
  decision: Decision;
  maxAmount: Money;
}

export function logit(pd: number): number {
  return Math.log(pd / (1 - pd));
}

/** Combines the application's log-odds of bad with the behaviour adjustment and decides. */
export function decide(
  model: Scorecard,
  input: { applicationLogOdds: number; behaviourLogOdds: number; lateRepayments: number; requested: Money },
): CombinedResult {
  const z = input.applicationLogOdds + input.behaviourLogOdds;
  const pd = sigmoid(z);
  const { grade, subGrade } = gradeOf(pd, model.grades);
  const cutoff = model.artifact.decision.cutoffPd;
  const p = DECISION_POLICY;
  const decision: Decision =
    pd >= cutoff || input.lateRepayments >= p.declineLateRepayments
      ? 'decline'
      : pd >= p.referPd || input.lateRepayments >= p.referLateRepayments
        ? 'refer'
        : 'approve';
  const multiple = decision === 'decline' ? '0' : (p.maxAmountMultiple[grade] ?? '0');
  return {
    pd,
    score: scaledScore(z, model.scaling),
    grade,
    subGrade,
    decision,
    maxAmount: input.requested.times(multiple, 'DOWN'),
  };
}

/** Score points a behaviour effect cost the applicant, on the model's points scale. */
export function pointsOf(effect: BehaviourEffect, model: Scorecard): number {
  return (effect.logOdds * model.scaling.pdo) / Math.LN2;
}
