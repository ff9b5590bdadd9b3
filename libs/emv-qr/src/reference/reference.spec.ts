import { allCountries, isIsoCountry } from './iso3166';
import { allCurrencies, currencyByAlpha, currencyByNumeric } from './iso4217';

describe('ISO reference tables', () => {
  it('holds the 249 assigned ISO 3166-1 alpha-2 codes, upper case, no duplicates', () => {
    const all = allCountries();
    expect(all).toHaveLength(249);
    expect(all.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    expect(isIsoCountry('BR')).toBe(true);
    expect(isIsoCountry('CN')).toBe(true);
    expect(isIsoCountry('br')).toBe(false);
    expect(isIsoCountry('XX')).toBe(false);
    expect(isIsoCountry('EU')).toBe(false);
  });

  it('maps ISO 4217 numeric codes to alpha codes and exponents both ways', () => {
    expect(currencyByNumeric('156')).toEqual({ alpha: 'CNY', numeric: '156', exponent: 2 });
    expect(currencyByNumeric('986')?.alpha).toBe('BRL');
    expect(currencyByNumeric('392')?.exponent).toBe(0);
    expect(currencyByNumeric('414')?.exponent).toBe(3);
    expect(currencyByNumeric('999')).toBeUndefined();
    expect(currencyByAlpha('sgd')?.numeric).toBe('702');
    const all = allCurrencies();
    expect(new Set(all.map((c) => c.numeric)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.alpha)).size).toBe(all.length);
    expect(all.every((c) => /^\d{3}$/.test(c.numeric) && /^[A-Z]{3}$/.test(c.alpha))).toBe(true);
  });
});
