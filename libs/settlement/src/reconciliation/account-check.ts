import { SettlementAccounts } from '../posting/settlement-accounts';
import { AccountCheck } from './reconciliation-types';

interface Movement {
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: bigint;
  currency: string;
}

/** Balances (debits minus credits) of each currency's clearing and suspense accounts after `movements`. */
export function checkAccounts(
  movements: Iterable<Movement>,
  accounts: SettlementAccounts,
  currencies: Iterable<string>,
): AccountCheck[] {
  const balance = new Map<string, bigint>();
  const add = (id: string, v: bigint) => balance.set(id, (balance.get(id) ?? 0n) + v);
  const seen = new Set(currencies);
  for (const m of movements) {
    add(m.debitAccountId, m.amountMinor);
    add(m.creditAccountId, -m.amountMinor);
    seen.add(m.currency);
  }
  const out: AccountCheck[] = [];
  for (const currency of [...seen].sort()) {
    for (const role of ['clearing', 'suspense'] as const) {
      const accountId = accounts[role](currency);
      const b = balance.get(accountId) ?? 0n;
      out.push({ role, accountId, currency, balanceMinor: b, zero: b === 0n });
    }
  }
  return out;
}
