import type { MoneyDto } from '@paylend/contracts';
import { Money, MoneyError } from '@paylend/ledger';
import { PaymentsError } from './payments-error';

/** A positive wire amount in the expected currency, with no more decimals than the currency has. */
export function parsePositive(amount: MoneyDto, currency: string, what: string): Money {
  if (amount.currency !== currency) {
    throw new PaymentsError(
      'CURRENCY_MISMATCH',
      `${what} is in ${amount.currency}, but the merchant takes ${currency}`,
    );
  }
  let m: Money;
  try {
    m = Money.of(amount.amount, amount.currency);
  } catch (err) {
    if (err instanceof MoneyError) throw new PaymentsError('AMOUNT_INVALID', `${what}: ${err.message}`);
    throw err;
  }
  if (!m.isPositive()) throw new PaymentsError('AMOUNT_INVALID', `${what} must be greater than zero`);
  return m;
}
