import Decimal from 'decimal.js';
import { MoneyError } from './money-error';

/**
 * Named rounding modes. HALF_UP rounds ties away from zero (the commercial convention, 2.5 -> 3, -2.5 -> -3);
 * HALF_EVEN is banker's rounding. UP/DOWN are away from / towards zero, CEILING/FLOOR towards +/- infinity.
 */
export type RoundingMode = 'HALF_EVEN' | 'HALF_UP' | 'HALF_DOWN' | 'UP' | 'DOWN' | 'CEILING' | 'FLOOR';

const MODES: Record<RoundingMode, Decimal.Rounding> = {
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_DOWN: Decimal.ROUND_HALF_DOWN,
  UP: Decimal.ROUND_UP,
  DOWN: Decimal.ROUND_DOWN,
  CEILING: Decimal.ROUND_CEIL,
  FLOOR: Decimal.ROUND_FLOOR,
};

export function decimalRounding(mode: RoundingMode): Decimal.Rounding {
  const r = MODES[mode];
  if (r === undefined) {
    throw new MoneyError(
      'ROUNDING_MODE_UNKNOWN',
      `unknown rounding mode "${String(mode)}"; use one of ${Object.keys(MODES).join(', ')}`,
    );
  }
  return r;
}

/** decimal.js with enough precision for any amount we carry; never rounds silently below 40 digits. */
export const Dec = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Dec = Decimal;
