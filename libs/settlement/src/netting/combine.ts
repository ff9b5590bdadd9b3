import {
  NettingResult,
  Position,
  comparePositions,
  completePosition,
  emptyPosition,
  totalsOf,
} from './position';

/**
 * Adds netting results of disjoint parts of one window (shards, or a window plus transfers carried into it
 * from an aborted one). Netting is a sum, so combining the parts must equal netting the whole.
 */
export function combine(parts: readonly NettingResult[], windowId: string): NettingResult {
  const first = parts[0];
  if (!first) throw new Error('combine needs at least one netting result');
  const cells = new Map<string, Position>();
  const counts = new Map<string, number>();
  for (const part of parts) {
    for (const p of part.positions) {
      const key = `${p.participant}\u0000${p.currency}`;
      let acc = cells.get(key);
      if (!acc) {
        acc = emptyPosition(p.participant, p.currency);
        cells.set(key, acc);
      }
      acc.paymentsIn += p.paymentsIn;
      acc.paymentsOut += p.paymentsOut;
      acc.refundsIn += p.refundsIn;
      acc.refundsOut += p.refundsOut;
      acc.feesIn += p.feesIn;
      acc.feesOut += p.feesOut;
      acc.transferCount += p.transferCount;
    }
    for (const t of part.totals) counts.set(t.currency, (counts.get(t.currency) ?? 0) + t.transferCount);
  }
  const positions = [...cells.values()].map(completePosition).sort(comparePositions);
  return { windowId, model: first.model, positions, totals: totalsOf(positions, counts) };
}
