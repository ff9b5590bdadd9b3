import fc from 'fast-check';
import { formatMinor, parseMinor } from './minor-units';
import { Money } from './money';

describe('minor-unit string arithmetic', () => {
  it('agrees with Money in both directions', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
        fc.constantFrom('JPY', 'CNY', 'KWD'),
        (minor, c) => {
          const m = Money.fromMinor(minor, c);
          expect(formatMinor(minor, m.currency.exponent)).toBe(m.amount);
          expect(parseMinor(m.amount, m.currency.exponent)).toBe(minor);
        },
      ),
    );
  });

  it('accepts trailing zeros beyond the exponent and refuses real extra digits', () => {
    expect(parseMinor('1.2300', 2)).toBe(123n);
    expect(parseMinor('1.231', 2)).toBeNull();
    expect(parseMinor('5', 0)).toBe(5n);
    expect(parseMinor('5.0', 0)).toBe(5n);
    expect(parseMinor('1e3', 2)).toBeNull();
    expect(formatMinor(5n, 3)).toBe('0.005');
  });
});
