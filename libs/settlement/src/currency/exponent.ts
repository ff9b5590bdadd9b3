import { SettlementError } from '../errors/settlement-error';

/** Looks up a currency's ISO 4217 exponent (minor-unit digits); undefined for a code it does not know. */
export type ExponentOf = (currency: string) => number | undefined;

export function requireExponent(exponentOf: ExponentOf, currency: string, line?: number): number {
  const e = /^[A-Z]{3}$/.test(currency) ? exponentOf(currency) : undefined;
  if (e === undefined) {
    throw new SettlementError(
      'CURRENCY_UNKNOWN',
      `currency "${currency}" is not an ISO 4217 code this system knows`,
      line,
    );
  }
  return e;
}
