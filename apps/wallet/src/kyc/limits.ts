import type { TierLimits } from './kyc-tiers';

export type LimitCode =
  'LIMIT_PER_TRANSACTION' | 'LIMIT_DAILY_OUTFLOW' | 'LIMIT_MONTHLY_OUTFLOW' | 'LIMIT_BALANCE_CAP';

export interface LimitRefusal {
  code: LimitCode;
  /** The limit and what would be used, in minor units, for the error's details. */
  limitMinor: bigint;
  wouldBeMinor: bigint;
}

/** Usage of a wallet's outflow limits before this movement, in minor units. */
export interface OutflowUsage {
  dailyMinor: bigint;
  monthlyMinor: bigint;
}

/**
 * Whether a wallet may send `amountMinor` more: the per-transaction limit first, then the day, then the
 * month (each inclusive: reaching a limit exactly is allowed). Run under the wallet's row lock, in the
 * transaction that posts the movement and records the usage, so concurrent sends cannot both pass.
 */
export function checkOutflow(
  limits: TierLimits,
  usage: OutflowUsage,
  amountMinor: bigint,
): LimitRefusal | null {
  if (amountMinor > limits.perTransaction) {
    return { code: 'LIMIT_PER_TRANSACTION', limitMinor: limits.perTransaction, wouldBeMinor: amountMinor };
  }
  if (usage.dailyMinor + amountMinor > limits.dailyOutflow) {
    return {
      code: 'LIMIT_DAILY_OUTFLOW',
      limitMinor: limits.dailyOutflow,
      wouldBeMinor: usage.dailyMinor + amountMinor,
    };
  }
  if (usage.monthlyMinor + amountMinor > limits.monthlyOutflow) {
    return {
      code: 'LIMIT_MONTHLY_OUTFLOW',
      limitMinor: limits.monthlyOutflow,
      wouldBeMinor: usage.monthlyMinor + amountMinor,
    };
  }
  return null;
}

/** Whether a wallet holding `balanceMinor` may receive `amountMinor` under its tier's balance cap (if it has one). */
export function checkBalanceCap(
  limits: TierLimits,
  balanceMinor: bigint,
  amountMinor: bigint,
): LimitRefusal | null {
  if (limits.balanceCap === null) return null;
  const after = balanceMinor + amountMinor;
  return after > limits.balanceCap
    ? { code: 'LIMIT_BALANCE_CAP', limitMinor: limits.balanceCap, wouldBeMinor: after }
    : null;
}

/** UTC calendar day of an instant, the unit of the daily limit ("2026-11-28"). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
