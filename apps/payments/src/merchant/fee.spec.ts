import fc from 'fast-check';
import { Money } from '@paylend/ledger';
import { feeFor } from './fee';

describe('platform fee', () => {
  it('is amount x rate rounded half up to the minor unit', () => {
    expect(feeFor(Money.of('100.00', 'CNY'), '0.006').amount).toBe('0.60');
    expect(feeFor(Money.of('0.75', 'CNY'), '0.006').amount).toBe('0.00'); // 0.0045 -> 0.00
    expect(feeFor(Money.of('2.50', 'CNY'), '0.006').amount).toBe('0.02'); // 0.015 -> 0.02 (tie, up)
    expect(feeFor(Money.of('1000', 'JPY'), '0.006').amount).toBe('6');
    expect(feeFor(Money.of('1.000', 'KWD'), '0.0035').amount).toBe('0.004'); // 0.0035 -> 0.004
  });

  it('property: never negative, never above the amount, within half a minor unit of the exact product', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 999_999 }),
        (minor, ppm) => {
          const amount = Money.fromMinor(minor, 'CNY');
          const rate = `0.${String(ppm).padStart(6, '0')}`;
          const fee = feeFor(amount, rate).toMinor();
          expect(fee >= 0n && fee <= minor).toBe(true);
          // exact fee in millionths of a minor unit: minor * ppm; |fee*1e6 - exact| <= 0.5e6
          const diff = fee * 1_000_000n - minor * BigInt(ppm);
          expect(diff <= 500_000n && diff >= -500_000n).toBe(true);
        },
      ),
    );
  });
});
