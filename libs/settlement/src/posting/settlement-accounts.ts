/**
 * Ledger account ids the settlement engine posts to. Clearing holds payouts between the settlement posting
 * and the bank's confirmation; suspense holds bank movements nobody has explained yet. Both must return to
 * zero once every break is resolved.
 */
export interface SettlementAccounts {
  participant(participant: string, currency: string, ledgerAccountId?: string): string;
  clearing(currency: string): string;
  bank(currency: string): string;
  suspense(currency: string): string;
  writeOff(currency: string): string;
}

export const defaultSettlementAccounts: SettlementAccounts = {
  participant: (participant, currency, ledgerAccountId) =>
    ledgerAccountId ?? `settlement:participant:${participant}:${currency}`,
  clearing: (currency) => `settlement:clearing:${currency}`,
  bank: (currency) => `settlement:bank:${currency}`,
  suspense: (currency) => `settlement:suspense:${currency}`,
  writeOff: (currency) => `settlement:write-off:${currency}`,
};
