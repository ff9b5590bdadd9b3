import fc from 'fast-check';
import { currencies, currencyByNumeric, currencyOf, isCurrencyCode } from './currency';
import { Money } from './money';
import { MoneyError } from './money-error';
import { RoundingMode } from './rounding';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof MoneyError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('currency table', () => {
  it.each([
    ['CNY', 156, 2],
    ['USD', 840, 2],
    ['EUR', 978, 2],
    ['GBP', 826, 2],
    ['JPY', 392, 0],
    ['KRW', 410, 0],
    ['KWD', 414, 3],
    ['BHD', 48, 3],
    ['BRL', 986, 2],
    ['INR', 356, 2],
    ['KES', 404, 2],
    ['NGN', 566, 2],
    ['XTS', 963, 2],
  ])('%s is ISO numeric %i with exponent %i', (c, numeric, exponent) => {
    expect(currencyOf(c)).toMatchObject({ code: c, numeric, exponent });
    expect(currencyByNumeric(numeric).code).toBe(c);
    expect(currencyByNumeric(String(numeric).padStart(3, '0')).code).toBe(c);
  });

  it('has unique codes and numeric codes and refuses unknown ones', () => {
    const all = currencies();
    expect(new Set(all.map((c) => c.numeric)).size).toBe(all.length);
    expect(isCurrencyCode('cny')).toBe(false);
    expect(code(() => currencyOf('XXX'))).toBe('CURRENCY_UNKNOWN');
    expect(code(() => currencyByNumeric(999))).toBe('CURRENCY_UNKNOWN');
  });
});

describe('Money', () => {
  it('parses decimal strings only', () => {
    expect(Money.of('12.3', 'CNY').amount).toBe('12.30');
    expect(Money.of('-0.5', 'USD').amount).toBe('-0.50');
    expect(Money.of('500', 'JPY').amount).toBe('500');
    expect(Money.of('1.234', 'KWD').toMinor()).toBe(1234n);
    expect(code(() => Money.of(12.3 as unknown as string, 'CNY'))).toBe('AMOUNT_NOT_A_STRING');
    for (const bad of ['', '1e3', '+1', ' 1', '1.', '.5', 'NaN', '1,000', '0x10'])
      expect(code(() => Money.of(bad, 'CNY'))).toBe('AMOUNT_MALFORMED');
    expect(code(() => Money.of('1', 'ZZZ'))).toBe('CURRENCY_UNKNOWN');
    expect(code(() => Money.fromMinor(5 as unknown as bigint, 'CNY'))).toBe('AMOUNT_NOT_A_STRING');
  });

  it('refuses more decimals than the currency has unless a rounding mode is named', () => {
    expect(code(() => Money.of('1.005', 'CNY'))).toBe('TOO_MANY_DECIMALS');
    expect(code(() => Money.of('1.5', 'JPY'))).toBe('TOO_MANY_DECIMALS');
    expect(Money.of('1.005', 'CNY', 'HALF_UP').amount).toBe('1.01');
    expect(Money.of('1.005', 'CNY', 'HALF_EVEN').amount).toBe('1.00');
    expect(Money.of('1.015', 'CNY', 'HALF_EVEN').amount).toBe('1.02');
    expect(Money.of('2.5', 'JPY', 'HALF_EVEN').amount).toBe('2');
    expect(Money.of('-2.5', 'JPY', 'HALF_UP').amount).toBe('-3');
    expect(code(() => Money.of('1.005', 'CNY', 'SIDEWAYS' as RoundingMode))).toBe('ROUNDING_MODE_UNKNOWN');
  });

  it.each<[RoundingMode, string, string]>([
    ['HALF_EVEN', '0.125', '0.12'],
    ['HALF_UP', '0.125', '0.13'],
    ['HALF_DOWN', '0.125', '0.12'],
    ['UP', '0.121', '0.13'],
    ['DOWN', '0.129', '0.12'],
    ['CEILING', '-0.129', '-0.12'],
    ['FLOOR', '-0.121', '-0.13'],
  ])('rounds with %s: %s -> %s', (mode, input, out) => {
    expect(Money.of(input, 'USD', mode).amount).toBe(out);
  });

  it('adds and subtracts exactly, multiplies and divides with a named rounding', () => {
    const a = Money.of('0.10', 'USD');
    const b = Money.of('0.20', 'USD');
    expect(a.plus(b).amount).toBe('0.30');
    expect(a.minus(b).amount).toBe('-0.10');
    expect(Money.of('100.00', 'USD').times('0.015', 'HALF_EVEN').amount).toBe('1.50');
    expect(Money.of('10.05', 'USD').times('0.5', 'HALF_EVEN').amount).toBe('5.02');
    expect(Money.of('10.05', 'USD').times('0.5', 'HALF_UP').amount).toBe('5.03');
    expect(Money.of('10.00', 'USD').dividedBy('3', 'HALF_EVEN').amount).toBe('3.33');
    expect(code(() => a.dividedBy('0', 'HALF_EVEN'))).toBe('DIVISION_BY_ZERO');
    expect(code(() => a.times(2 as unknown as string, 'HALF_EVEN'))).toBe('AMOUNT_MALFORMED');
    expect(code(() => a.plus(Money.of('1', 'EUR')))).toBe('CURRENCY_MISMATCH');
    expect(a.negated().abs().equals(a)).toBe(true);
  });

  it('compares within one currency', () => {
    const one = Money.of('1', 'EUR');
    const two = Money.of('2.00', 'EUR');
    expect(one.compare(two)).toBe(-1);
    expect(two.compare(one)).toBe(1);
    expect(one.compare(Money.of('1.00', 'EUR'))).toBe(0);
    expect(one.lessThan(two) && two.greaterThan(one)).toBe(true);
    expect(one.equals(Money.of('1', 'USD'))).toBe(false);
    expect(code(() => one.compare(Money.of('1', 'USD')))).toBe('CURRENCY_MISMATCH');
    expect([Money.zero('EUR').isZero(), one.isPositive(), one.negated().isNegative()]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('formats for people and serialises as a string with its currency', () => {
    expect(Money.of('1234567.5', 'CNY').format()).toBe('CNY 1,234,567.50');
    expect(Money.of('-1234', 'JPY').format({ code: 'suffix' })).toBe('-1,234 JPY');
    expect(Money.of('1234.5', 'KWD').format({ grouping: '', code: 'none' })).toBe('1234.500');
    expect(JSON.stringify(Money.of('3', 'USD'))).toBe('{"amount":"3.00","currency":"USD"}');
    expect(String(Money.of('3', 'USD'))).toBe('3.00 USD');
  });

  it('round-trips minor units for any BigInt', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.constantFrom('JPY', 'CNY', 'KWD'),
        (minor, c) => {
          const m = Money.fromMinor(minor, c);
          expect(m.toMinor()).toBe(minor);
          expect(Money.of(m.amount, c).equals(m)).toBe(true);
        },
      ),
    );
  });
});
