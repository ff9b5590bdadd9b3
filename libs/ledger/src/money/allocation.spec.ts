import fc from 'fast-check';
import { allocateMinor, ratiosToWeights } from './allocation';
import { Money } from './money';
import { MoneyError } from './money-error';

describe('allocation', () => {
  it('splits evenly with the larger parts first', () => {
    expect(
      Money.of('100.00', 'CNY')
        .split(3)
        .map((m) => m.amount),
    ).toEqual(['33.34', '33.33', '33.33']);
    expect(
      Money.of('-0.05', 'USD')
        .split(3)
        .map((m) => m.amount),
    ).toEqual(['-0.02', '-0.02', '-0.01']);
    expect(
      Money.of('5', 'JPY')
        .split(7)
        .map((m) => m.amount),
    ).toEqual(['1', '1', '1', '1', '1', '0', '0']);
  });

  it('allocates by ratios with the largest remainder', () => {
    expect(
      Money.of('0.05', 'USD')
        .allocate(['70', '30'])
        .map((m) => m.amount),
    ).toEqual(['0.04', '0.01']);
    expect(
      Money.of('100', 'USD')
        .allocate(['0.5', '0.25', '0.25'])
        .map((m) => m.amount),
    ).toEqual(['50.00', '25.00', '25.00']);
    expect(
      Money.of('10', 'JPY')
        .allocate(['1', '0', '2'])
        .map((m) => m.amount),
    ).toEqual(['3', '0', '7']);
  });

  it('refuses ratios that cannot allocate', () => {
    for (const bad of [[], ['0', '0'], ['-1', '2'], ['a'], ['1e2']]) {
      expect(() => Money.of('1', 'USD').allocate(bad)).toThrow(MoneyError);
    }
    expect(() => Money.of('1', 'USD').split(0)).toThrow(MoneyError);
    expect(() => Money.of('1', 'USD').split(1.5)).toThrow(MoneyError);
  });

  it('never loses or invents a minor unit and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const parts = allocateMinor(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          parts.forEach((part, i) => {
            const exactTimesSum = total * weights[i]!; // part ≈ exactTimesSum / sum
            const diff = part * sum - exactTimesSum;
            expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
            if (weights[i] === 0n) expect(part).toBe(0n);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('money allocation by decimal ratios sums exactly in every currency', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.constantFrom('JPY', 'CNY', 'BHD'),
        fc.array(
          fc.tuple(fc.nat(1000), fc.nat(99)).map(([i, f]) => `${i}.${String(f).padStart(2, '0')}`),
          { minLength: 1, maxLength: 8 },
        ),
        (minor, c, ratios) => {
          fc.pre(ratiosToWeights(ratios).some((w) => w > 0n));
          const m = Money.fromMinor(minor, c);
          const parts = m.allocate(ratios);
          expect(parts.reduce((a, b) => a.plus(b), Money.zero(c)).equals(m)).toBe(true);
        },
      ),
    );
  });
});
