import fc from 'fast-check';
import { SettlementError } from '../errors/settlement-error';
import { formatMinorUnits, parseMinorUnits } from './minor-units';

describe('minor units', () => {
  it('parses with the currency exponent', () => {
    expect(parseMinorUnits('12.34', 2)).toBe(1234n);
    expect(parseMinorUnits('12', 2)).toBe(1200n);
    expect(parseMinorUnits('12.3', 2)).toBe(1230n);
    expect(parseMinorUnits('500', 0)).toBe(500n);
    expect(parseMinorUnits('1.234', 3)).toBe(1234n);
    expect(parseMinorUnits('-0.05', 2)).toBe(-5n);
    expect(parseMinorUnits('10.00', 0)).toBe(10n);
  });

  it('rejects more decimals than the currency allows, naming the line', () => {
    const err = (() => {
      try {
        parseMinorUnits('1.005', 2, 17);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SettlementError);
    expect((err as SettlementError).code).toBe('AMOUNT_TOO_PRECISE');
    expect((err as SettlementError).line).toBe(17);
    expect((err as SettlementError).message).toMatch(/^line 17: /);
    expect(() => parseMinorUnits('5.5', 0)).toThrow(/allows 0/);
  });

  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', '1e3', '1,000.00', '12.', '.5', 'abc', '1.2.3', '+5']) {
      expect(() => parseMinorUnits(bad, 2)).toThrow(expect.objectContaining({ code: 'AMOUNT_MALFORMED' }));
    }
  });

  it('format and parse are inverse for any amount and exponent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 4 }),
        (minor, exponent) => {
          const text = formatMinorUnits(minor, exponent);
          expect(text.split('.')[1]?.length ?? 0).toBe(exponent);
          expect(parseMinorUnits(text, exponent)).toBe(minor);
        },
      ),
    );
  });

  it('formats small and negative values with leading zeros', () => {
    expect(formatMinorUnits(5n, 2)).toBe('0.05');
    expect(formatMinorUnits(-5n, 3)).toBe('-0.005');
    expect(formatMinorUnits(0n, 2)).toBe('0.00');
    expect(formatMinorUnits(123n, 0)).toBe('123');
  });
});
