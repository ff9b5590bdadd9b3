import { InstructionDirection } from '../instruction/settlement-instruction';
import { SettlementPosting } from '../posting/settlement-posting';
import { BankDirection } from '../statement/statement-entry';

/** A settlement posting as read back from the ledger journal (transfer id, accounts, amount, reference). */
export interface LedgerEntry {
  id: string;
  reference: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: bigint;
  currency: string;
}

export type BreakKind = 'missing_in_bank' | 'missing_in_ledger' | 'amount_mismatch';

export type BreakCause =
  | 'no_bank_entry'
  | 'reversed_by_bank'
  | 'no_ledger_entry'
  | 'reversal_without_original'
  | 'bank_amount_differs'
  | 'ledger_amount_differs'
  | 'direction_differs';

export type MatchMethod = 'reference' | 'batch_transactions' | 'batch_window' | 'amount_and_date';

export interface MatchedItem {
  reference: string;
  participant?: string;
  currency: string;
  direction: InstructionDirection;
  amountMinor: bigint;
  bankEntryId: string;
  line: number;
  ledgerTransferId: string;
  method: MatchMethod;
  valueDate: string;
  executionDate?: string;
  /** False when matched on reference but the value date is outside the tolerance: matched, yet worth a look. */
  dateWithinTolerance: boolean;
}

/** An account where a break leaves money until someone resolves it. */
export interface Residue {
  accountId: string;
  currency: string;
  /** Debits minus credits left on `accountId` by this break. */
  balanceMinor: bigint;
}

export interface ReconciliationBreak {
  /** Deterministic from what the break is about, so re-running a reconciliation finds the same ids. */
  id: string;
  kind: BreakKind;
  cause: BreakCause;
  currency: string;
  reference?: string;
  participant?: string;
  direction?: InstructionDirection;
  bankEntryId?: string;
  bankDirection?: BankDirection;
  line?: number;
  ledgerTransferId?: string;
  /** What the instruction / ledger expected. */
  expectedMinor?: bigint;
  /** What the bank shows. */
  actualMinor?: bigint;
  residue?: Residue;
  message: string;
}

export interface AccountCheck {
  role: 'clearing' | 'suspense';
  accountId: string;
  currency: string;
  balanceMinor: bigint;
  zero: boolean;
}

export interface ReconciliationResult {
  matched: MatchedItem[];
  breaks: ReconciliationBreak[];
  /** Bank reversals paired with the entry they undo. */
  reversals: { originalEntryId: string; reversalEntryId: string; currency: string; amountMinor: bigint }[];
  /** Entries not booked (pending/info) and so not reconciled. */
  ignoredEntryIds: string[];
  /** Bank confirmations and suspense postings this reconciliation implies, balanced and deterministic. */
  postings: SettlementPosting[];
  accounts: AccountCheck[];
  /** True when every clearing and suspense account is back to zero. */
  balanced: boolean;
}
