import { type Result, fail, ok } from '../errors/emv-qr-error';
import { currencyByNumeric } from '../reference/iso4217';

/**
 * An EMV amount ("23.72", "98", "98.") in integer minor units of its ISO 4217 currency, as a BigInt, so a
 * server compares a scanned amount with its stored order exactly (never through a float).
 */
export function amountToMinorUnits(amount: string, currencyNumeric: string): Result<bigint> {
  const currency = currencyByNumeric(currencyNumeric);
  if (!currency)
    return fail('CURRENCY_UNKNOWN', `"${currencyNumeric}" is not an ISO 4217 numeric currency code`, -1);
  const m = /^([0-9]+)(?:\.([0-9]*))?$/.exec(amount);
  if (!m) return fail('AMOUNT_MALFORMED', `"${amount}" is not digits with an optional "." decimal mark`, -1);
  const decimals = m[2] ?? '';
  if (decimals.length > currency.exponent)
    return fail(
      'AMOUNT_MALFORMED',
      `"${amount}" has more decimals than ${currency.alpha} (${currency.exponent})`,
      -1,
    );
  return ok(BigInt(m[1] + decimals.padEnd(currency.exponent, '0')));
}

/** Minor units back to the canonical EMV amount string ("2372", CNY → "23.72"; JPY 500 → "500"). */
export function minorUnitsToAmount(minor: bigint, currencyNumeric: string): Result<string> {
  const currency = currencyByNumeric(currencyNumeric);
  if (!currency)
    return fail('CURRENCY_UNKNOWN', `"${currencyNumeric}" is not an ISO 4217 numeric currency code`, -1);
  if (minor <= 0n) return fail('AMOUNT_MALFORMED', 'an EMV amount is greater than zero', -1);
  if (currency.exponent === 0) return ok(minor.toString());
  const s = minor.toString().padStart(currency.exponent + 1, '0');
  return ok(`${s.slice(0, -currency.exponent)}.${s.slice(-currency.exponent)}`);
}
