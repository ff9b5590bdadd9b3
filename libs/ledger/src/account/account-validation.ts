import { MAX_AMOUNT_MINOR } from '../limits';
import { isCurrencyCode, Money, MoneyError } from '../money';
import { accountFailure, AccountResult } from './account-errors';
import { Account, AccountInput, AccountSpec } from './account';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Validates an account input into the engine's form (credit limit in minor units). */
export function validateAccountInput(input: AccountInput): AccountResult<AccountSpec> {
  if (typeof input?.id !== 'string' || !ID_PATTERN.test(input.id))
    return accountFailure('ID_INVALID', String(input?.id));
  if (typeof input.currency !== 'string' || !isCurrencyCode(input.currency)) {
    return accountFailure('CURRENCY_UNKNOWN', String(input.currency));
  }
  if (input.normalSide !== 'debit' && input.normalSide !== 'credit')
    return accountFailure('NORMAL_SIDE_INVALID');
  const ownerRef = input.ownerRef ?? null;
  if (ownerRef !== null && (typeof ownerRef !== 'string' || ownerRef.length > 200))
    return accountFailure('OWNER_INVALID');
  const dmnec = input.flags?.debitsMustNotExceedCredits === true;
  const cmned = input.flags?.creditsMustNotExceedDebits === true;
  if (dmnec && cmned) return accountFailure('FLAGS_INVALID');
  let creditLimitMinor = 0n;
  if (input.creditLimit !== undefined && input.creditLimit !== null) {
    try {
      creditLimitMinor = Money.of(input.creditLimit, input.currency).toMinor();
    } catch (err) {
      if (err instanceof MoneyError) return accountFailure('CREDIT_LIMIT_INVALID', err.message);
      throw err;
    }
    if (creditLimitMinor < 0n) return accountFailure('CREDIT_LIMIT_INVALID', 'negative');
    if (creditLimitMinor >= MAX_AMOUNT_MINOR) return accountFailure('CREDIT_LIMIT_INVALID', 'too large');
    if (creditLimitMinor > 0n && !dmnec && !cmned)
      return accountFailure('CREDIT_LIMIT_INVALID', 'no balance flag set');
  }
  return {
    ok: true,
    value: {
      id: input.id,
      currency: input.currency,
      normalSide: input.normalSide,
      ownerRef,
      debitsMustNotExceedCredits: dmnec,
      creditsMustNotExceedDebits: cmned,
      creditLimitMinor,
    },
  };
}

export function sameAccountSpec(a: AccountSpec, b: AccountSpec): boolean {
  return (
    a.id === b.id &&
    a.currency === b.currency &&
    a.normalSide === b.normalSide &&
    a.ownerRef === b.ownerRef &&
    a.debitsMustNotExceedCredits === b.debitsMustNotExceedCredits &&
    a.creditsMustNotExceedDebits === b.creditsMustNotExceedDebits &&
    a.creditLimitMinor === b.creditLimitMinor
  );
}

export function accountFromSpec(spec: AccountSpec, status: Account['status'], createdAt: Date): Account {
  return {
    id: spec.id,
    currency: spec.currency,
    normalSide: spec.normalSide,
    ownerRef: spec.ownerRef,
    flags: {
      debitsMustNotExceedCredits: spec.debitsMustNotExceedCredits,
      creditsMustNotExceedDebits: spec.creditsMustNotExceedDebits,
    },
    creditLimit:
      spec.creditLimitMinor > 0n ? Money.fromMinor(spec.creditLimitMinor, spec.currency).amount : null,
    status,
    createdAt,
  };
}
