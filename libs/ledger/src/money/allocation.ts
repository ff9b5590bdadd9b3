import { MoneyError } from './money-error';

/**
 * Splits `total` minor units by integer `weights` with the largest-remainder method: each part gets the floor
 * of its exact share and the units left over go one each to the largest remainders (ties to the earlier
 * part). The parts always sum to `total` exactly; a zero weight never receives a unit. A negative total is
 * allocated as its magnitude, then negated, so splitting a refund mirrors splitting the payment.
 */
export function allocateMinor(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new MoneyError('RATIOS_INVALID', 'allocation needs at least one ratio');
  if (weights.some((w) => w < 0n))
    throw new MoneyError('RATIOS_INVALID', 'allocation ratios must not be negative');
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new MoneyError('RATIOS_INVALID', 'allocation ratios must not all be zero');
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const parts = weights.map((w) => (magnitude * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (magnitude * w) % sum }));
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[remainders[k]!.i]! += 1n;
  return negative ? parts.map((p) => -p) : parts;
}

/** Decimal-string ratios ("1", "0.25", "3.5") scaled to integers with a common power of ten. */
export function ratiosToWeights(ratios: readonly string[]): bigint[] {
  const scale = Math.max(
    0,
    ...ratios.map((r) => {
      if (typeof r !== 'string' || !/^\d+(\.\d+)?$/.test(r)) {
        throw new MoneyError('RATIOS_INVALID', `ratio "${String(r)}" is not a non-negative decimal string`);
      }
      return r.includes('.') ? r.split('.')[1]!.length : 0;
    }),
  );
  return ratios.map((r) => {
    const [int, frac = ''] = r.split('.');
    return BigInt(int! + frac.padEnd(scale, '0'));
  });
}
