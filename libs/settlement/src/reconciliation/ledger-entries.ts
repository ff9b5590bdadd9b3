import { Transfer } from '@paylend/ledger';
import { parseMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { LedgerEntry } from './reconciliation-types';

/**
 * Ledger journal transfers as reconciliation's ledger entries: the instruction reference travels in the
 * transfer's metadata (see toLedgerBatch). Transfers without a reference are not settlement postings and
 * are left out.
 */
export function ledgerEntriesFrom(
  transfers: readonly Transfer[],
  exponentOf: ExponentOf = isoExponent,
): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const t of transfers) {
    const reference = t.metadata?.['reference'];
    if (typeof reference !== 'string' || t.type !== 'single') continue;
    out.push({
      id: t.id,
      reference,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amountMinor: parseMinorUnits(t.amount, requireExponent(exponentOf, t.currency)),
      currency: t.currency,
    });
  }
  return out;
}
