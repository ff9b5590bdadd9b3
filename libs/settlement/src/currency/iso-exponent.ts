import { currencyOf, isCurrencyCode } from '@paylend/ledger';
import { ExponentOf } from './exponent';

/** ISO 4217 exponents from the ledger's currency table (CNY 2, JPY 0, KWD 3). */
export const isoExponent: ExponentOf = (code) =>
  isCurrencyCode(code) ? currencyOf(code).exponent : undefined;
