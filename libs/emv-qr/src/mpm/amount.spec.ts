import fc from 'fast-check';
import { allCurrencies } from '../reference/iso4217';
import { amountToMinorUnits, minorUnitsToAmount } from './amount';

describe('amount <-> minor units', () => {
  it('reads EMV amount forms exactly, as BigInt minor units', () => {
    expect(amountToMinorUnits('23.72', '156')).toEqual({ ok: true, value: 2372n });
    expect(amountToMinorUnits('98.', '840')).toEqual({ ok: true, value: 9800n });
    expect(amountToMinorUnits('98', '840')).toEqual({ ok: true, value: 9800n });
    expect(amountToMinorUnits('0.1', '414')).toEqual({ ok: true, value: 100n });
    expect(amountToMinorUnits('500', '392')).toEqual({ ok: true, value: 500n });
    expect(amountToMinorUnits('99999999999.99', '986')).toEqual({ ok: true, value: 9999999999999n });
  });

  it('refuses more decimals than the currency has, and unknown currencies', () => {
    expect(amountToMinorUnits('1.5', '392')).toMatchObject({
      ok: false,
      error: { code: 'AMOUNT_MALFORMED' },
    });
    expect(amountToMinorUnits('1,5', '978')).toMatchObject({
      ok: false,
      error: { code: 'AMOUNT_MALFORMED' },
    });
    expect(amountToMinorUnits('1.5', '999')).toMatchObject({
      ok: false,
      error: { code: 'CURRENCY_UNKNOWN' },
    });
  });

  it('round-trips minor units through the canonical amount string for every currency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allCurrencies()),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        (c, minor) => {
          const s = minorUnitsToAmount(minor, c.numeric);
          expect(s.ok).toBe(true);
          if (s.ok) expect(amountToMinorUnits(s.value, c.numeric)).toEqual({ ok: true, value: minor });
        },
      ),
    );
  });
});
