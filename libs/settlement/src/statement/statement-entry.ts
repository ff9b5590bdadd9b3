/** Which way money moved on OUR bank account: a payout leaves it (debit), a collection arrives (credit). */
export type BankDirection = 'debit' | 'credit';

/** One transaction inside a bank entry; a batch-booked entry carries several. */
export interface StatementTransaction {
  line: number;
  /** EndToEndId, InstrId, PmtInfId, remittance text: anything that may carry our instruction reference. */
  references: string[];
  /** Absent when the bank reports only the entry total (some banks omit per-transaction amounts). */
  amountMinor?: bigint;
  currency?: string;
}

/** One booked line of a bank statement, whichever format it came from (camt.053 Ntry or a CSV row). */
export interface StatementEntry {
  /** Stable id for reports and audit: the bank's reference where it gives one, else file position. */
  entryId: string;
  line: number;
  statementId: string;
  currency: string;
  /** Always positive; `direction` says which way. */
  amountMinor: bigint;
  direction: BankDirection;
  /** camt.053 RvslInd: this entry undoes an earlier one and runs in the opposite direction. */
  reversal: boolean;
  status: 'booked' | 'pending' | 'info';
  bookingDate: string;
  valueDate: string;
  references: string[];
  transactions: StatementTransaction[];
}

export interface ParsedStatement {
  format: 'camt.053.001.02' | 'camt.053.001.08' | `camt.053.${string}` | 'csv';
  entries: StatementEntry[];
}
