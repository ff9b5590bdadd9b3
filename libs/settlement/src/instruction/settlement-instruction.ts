export type InstructionDirection = 'payout' | 'collection';

/** Where a merchant is paid: its bank account, and optionally the ledger account that holds its balance. */
export interface MerchantAccount {
  bankAccount: string;
  accountName?: string;
  ledgerAccountId?: string;
}

export type MerchantDirectory =
  ReadonlyMap<string, MerchantAccount> | Readonly<Record<string, MerchantAccount>>;

/** A bank payment the platform makes (payout) or pulls (collection) to settle one position. */
export interface SettlementInstruction {
  /** Deterministic: window + participant + currency + direction. Sent to the bank as EndToEndId. */
  reference: string;
  windowId: string;
  participant: string;
  currency: string;
  direction: InstructionDirection;
  amountMinor: bigint;
  /** Decimal string with the currency's exponent. */
  amount: string;
  bankAccount: string;
  accountName?: string;
  ledgerAccountId?: string;
  /** YYYY-MM-DD the bank is asked to execute on; reconciliation compares it with the value date. */
  executionDate?: string;
}
