import { SettlementError } from '../errors/settlement-error';
import { ClearedTransfer } from '../transfer/cleared-transfer';
import {
  NettingModel,
  NettingResult,
  Position,
  comparePositions,
  completePosition,
  emptyPosition,
  totalsOf,
} from './position';

/**
 * Multilateral positions for one window, exact in BigInt minor units. This is the reference path; the
 * columnar `netColumns` is the fast one and must agree with it to the minor unit.
 */
export function net(
  transfers: Iterable<ClearedTransfer>,
  model: NettingModel,
  windowId: string,
): NettingResult {
  const cells = new Map<string, Position>();
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const cell = (participant: string, currency: string): Position => {
    const key = `${participant}\u0000${currency}`;
    let p = cells.get(key);
    if (!p) {
      p = emptyPosition(participant, currency);
      cells.set(key, p);
    }
    return p;
  };
  for (const t of transfers) {
    validate(t, seen);
    const fee = t.feeMinor ?? 0n;
    const payer = cell(t.payer, t.currency);
    const payee = cell(t.payee, t.currency);
    payer.transferCount += 1;
    payee.transferCount += 1;
    counts.set(t.currency, (counts.get(t.currency) ?? 0) + 1);
    let merchant: Position;
    if ((t.kind ?? 'payment') === 'payment') {
      payer.paymentsOut += t.amountMinor;
      payee.paymentsIn += t.amountMinor;
      merchant = payee;
    } else {
      payer.refundsOut += t.amountMinor;
      payee.refundsIn += t.amountMinor;
      merchant = payer;
    }
    if (fee !== 0n) {
      merchant.feesOut += fee;
      cell(model.feeParticipant, t.currency).feesIn += fee;
    }
  }
  const positions = [...cells.values()].map(completePosition).sort(comparePositions);
  return { windowId, model, positions, totals: totalsOf(positions, counts) };
}

function validate(t: ClearedTransfer, seen: Set<string>): void {
  if (seen.has(t.id))
    throw new SettlementError('DUPLICATE_TRANSFER', `transfer ${t.id} appears twice in the window`);
  seen.add(t.id);
  if (t.amountMinor <= 0n)
    throw new SettlementError('AMOUNT_NEGATIVE', `transfer ${t.id}: amount must be positive`);
  if ((t.feeMinor ?? 0n) < 0n)
    throw new SettlementError('AMOUNT_NEGATIVE', `transfer ${t.id}: fee must not be negative`);
  if (t.payer === t.payee)
    throw new SettlementError('SAME_PAYER_PAYEE', `transfer ${t.id}: payer and payee are both ${t.payer}`);
}
