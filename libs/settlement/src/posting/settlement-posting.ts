import { Metadata, SingleTransferInput } from '@paylend/ledger';

export type PostingCode =
  | 'settlement.payout'
  | 'settlement.collection'
  | 'recon.bank-confirmed'
  | 'recon.bank-reversed'
  | 'recon.unexplained'
  | 'recon.resolution';

/** A balanced ledger transfer produced by settlement or reconciliation: one debit, one credit, one amount. */
export interface SettlementPosting {
  /** Deterministic, so posting the same thing twice is a replay the ledger ignores. */
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  /** Decimal string, positive. */
  amount: string;
  amountMinor: bigint;
  currency: string;
  code: PostingCode;
  /** The instruction reference, bank entry id or break id it is about. */
  reference: string;
  windowId?: string;
}

/**
 * The postings as the ledger's transfer inputs, linked so the ledger applies them all or none: every
 * transfer but the last links to the next.
 */
export function toLedgerBatch(postings: readonly SettlementPosting[]): SingleTransferInput[] {
  return postings.map((p, i): SingleTransferInput => {
    const metadata: Metadata = { reference: p.reference };
    if (p.windowId !== undefined) metadata['windowId'] = p.windowId;
    return {
      type: 'single',
      id: p.id,
      debitAccountId: p.debitAccountId,
      creditAccountId: p.creditAccountId,
      amount: p.amount,
      currency: p.currency,
      code: p.code,
      linked: i < postings.length - 1,
      metadata,
    };
  });
}
