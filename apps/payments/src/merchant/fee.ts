import { Money, type RoundingMode } from '@paylend/ledger';

/** The one place the platform fee is rounded: half up, to the currency's minor unit. */
export const FEE_ROUNDING: RoundingMode = 'HALF_UP';

/** The platform's fee on a capture: amount x rate, rounded with FEE_ROUNDING. */
export function feeFor(amount: Money, feeRate: string): Money {
  return amount.times(feeRate, FEE_ROUNDING);
}
