import { Money } from '@paylend/ledger';

/** What the platform knows of a borrower's behaviour, at the moment of scoring. */
export interface BehaviourFeatures {
  onTimeRepayments: number;
  lateRepayments: number;
  /** The borrower's oldest wallet's opening time; null when scoring has seen none. */
  walletOpenedAt: Date | null;
  /** Money credited to the borrower's wallets, in the requested amount's currency. */
  inflows: Money;
}

export type BehaviourFactor =
  'ON_TIME_REPAYMENTS' | 'LATE_REPAYMENTS' | 'NEW_WALLET' | 'ESTABLISHED_WALLET' | 'STRONG_INFLOWS';

export interface BehaviourEffect {
  factor: BehaviourFactor;
  /** Change to the log-odds of bad: positive is riskier. */
  logOdds: number;
  description: string;
}

/**
 * The behaviour policy, version `behaviour-v1`. Each factor moves the application's log-odds of bad
 * (positive = riskier) and the total is clamped, so behaviour can refine a scorecard result but never
 * override it on its own. Documented in apps/scoring/README.md; the numbers live here only.
 */
export const BEHAVIOUR_POLICY = {
  onTimePerRepayment: -0.15,
  onTimeMaxCounted: 8,
  latePerRepayment: 0.6,
  lateMaxCounted: 4,
  newWalletDays: 30,
  newWallet: 0.25,
  establishedWalletDays: 365,
  establishedWallet: -0.25,
  /** Inflows of at least this multiple of the requested amount lower the risk. */
  strongInflowMultiple: '3',
  strongInflows: -0.2,
  minTotal: -1.5,
  maxTotal: 2.5,
} as const;

const DAY_MS = 86_400_000;

export function walletAgeDays(openedAt: Date | null, now: Date): number | null {
  if (!openedAt) return null;
  return Math.max(0, Math.floor((now.getTime() - openedAt.getTime()) / DAY_MS));
}

/** The behaviour adjustment to an application's log-odds of bad, with the factors that produced it. */
export function behaviourAdjustment(
  features: BehaviourFeatures,
  requested: Money,
  now: Date,
): { logOdds: number; effects: BehaviourEffect[]; walletAgeDays: number | null } {
  const p = BEHAVIOUR_POLICY;
  const effects: BehaviourEffect[] = [];
  const onTime = Math.min(features.onTimeRepayments, p.onTimeMaxCounted);
  if (onTime > 0)
    effects.push({
      factor: 'ON_TIME_REPAYMENTS',
      logOdds: onTime * p.onTimePerRepayment,
      description: `${features.onTimeRepayments} repayment(s) made on time`,
    });
  const late = Math.min(features.lateRepayments, p.lateMaxCounted);
  if (late > 0)
    effects.push({
      factor: 'LATE_REPAYMENTS',
      logOdds: late * p.latePerRepayment,
      description: `${features.lateRepayments} repayment(s) made late`,
    });
  const age = walletAgeDays(features.walletOpenedAt, now);
  if (age !== null && age < p.newWalletDays)
    effects.push({
      factor: 'NEW_WALLET',
      logOdds: p.newWallet,
      description: `wallet opened ${age} day(s) ago`,
    });
  if (age !== null && age >= p.establishedWalletDays)
    effects.push({
      factor: 'ESTABLISHED_WALLET',
      logOdds: p.establishedWallet,
      description: `wallet held for ${age} days`,
    });
  if (
    features.inflows.currency.code === requested.currency.code &&
    features.inflows.compare(requested.times(p.strongInflowMultiple, 'HALF_EVEN')) >= 0
  )
    effects.push({
      factor: 'STRONG_INFLOWS',
      logOdds: p.strongInflows,
      description: `wallet inflows of ${features.inflows.amount} ${features.inflows.currency.code} are at least ${p.strongInflowMultiple}x the amount requested`,
    });
  const total = effects.reduce((s, e) => s + e.logOdds, 0);
  return { logOdds: Math.min(p.maxTotal, Math.max(p.minTotal, total)), effects, walletAgeDays: age };
}
