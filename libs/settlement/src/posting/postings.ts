import { deterministicUuid } from '../ids/deterministic-id';
import { SettlementInstruction } from '../instruction/settlement-instruction';
import { SettlementAccounts, defaultSettlementAccounts } from './settlement-accounts';
import { SettlementPosting } from './settlement-posting';

/** Transfer id for an instruction's posting: window + participant + currency + direction, nothing else. */
export function settlementTransferId(
  i: Pick<SettlementInstruction, 'windowId' | 'participant' | 'currency' | 'direction'>,
): string {
  return deterministicUuid('settlement-posting', i.windowId, i.participant, i.currency, i.direction);
}

/**
 * One balanced transfer per instruction: a payout moves the merchant's balance into clearing (the bank
 * confirmation later moves clearing to the bank); a collection is the mirror image. Derived ids make the
 * batch idempotent: settling a window again derives the same ids, which the ledger treats as replays.
 */
export function postingsFor(
  instructions: readonly SettlementInstruction[],
  accounts: SettlementAccounts = defaultSettlementAccounts,
): SettlementPosting[] {
  return instructions.map((i) => {
    const participantAccount = accounts.participant(i.participant, i.currency, i.ledgerAccountId);
    const clearing = accounts.clearing(i.currency);
    const payout = i.direction === 'payout';
    return {
      id: settlementTransferId(i),
      debitAccountId: payout ? participantAccount : clearing,
      creditAccountId: payout ? clearing : participantAccount,
      amount: i.amount,
      amountMinor: i.amountMinor,
      currency: i.currency,
      code: payout ? 'settlement.payout' : 'settlement.collection',
      reference: i.reference,
      windowId: i.windowId,
    };
  });
}

/** The postings not yet recorded: empty when the window was already settled, so a retry posts nothing. */
export function unrecorded(
  postings: readonly SettlementPosting[],
  recordedIds: ReadonlySet<string>,
): SettlementPosting[] {
  return postings.filter((p) => !recordedIds.has(p.id));
}
