import { Money } from '../money';
import { AccountSpec, Balance, BalanceMinor } from './account';

/** Which rule a balance breaks, if any: INSUFFICIENT_FUNDS without a credit limit, LIMIT_EXCEEDED with one. */
export type LimitBreach = 'INSUFFICIENT_FUNDS' | 'LIMIT_EXCEEDED';

/**
 * Checks the account's flag against balances that already include a change. Pending amounts count
 * against the limit (a hold reserves funds), pending amounts on the other side do not help.
 */
export function limitBreach(spec: AccountSpec, b: BalanceMinor): LimitBreach | null {
  const breach = spec.creditLimitMinor > 0n ? 'LIMIT_EXCEEDED' : 'INSUFFICIENT_FUNDS';
  if (
    spec.debitsMustNotExceedCredits &&
    b.debitsPosted + b.debitsPending > b.creditsPosted + spec.creditLimitMinor
  ) {
    return breach;
  }
  if (
    spec.creditsMustNotExceedDebits &&
    b.creditsPosted + b.creditsPending > b.debitsPosted + spec.creditLimitMinor
  ) {
    return breach;
  }
  return null;
}

export function toBalance(spec: AccountSpec, b: BalanceMinor): Balance {
  const credit = spec.normalSide === 'credit';
  const posted = credit ? b.creditsPosted - b.debitsPosted : b.debitsPosted - b.creditsPosted;
  const available = posted - (credit ? b.debitsPending : b.creditsPending);
  const m = (v: bigint): string => Money.fromMinor(v, spec.currency).amount;
  return {
    accountId: spec.id,
    currency: spec.currency,
    debitsPosted: m(b.debitsPosted),
    creditsPosted: m(b.creditsPosted),
    debitsPending: m(b.debitsPending),
    creditsPending: m(b.creditsPending),
    posted: m(posted),
    available: m(available),
    spendable: m(available + spec.creditLimitMinor),
  };
}

export function isEmpty(b: BalanceMinor): boolean {
  return b.debitsPosted === b.creditsPosted && b.debitsPending === 0n && b.creditsPending === 0n;
}
