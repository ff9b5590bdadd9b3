import { badRate, type BinCounts } from './woe';

/** A run of consecutive fine classes (numeric) or a set of categories, with its counts. */
export interface Group<K> extends BinCounts {
  keys: K[];
}

export function mergeGroups<K>(a: Group<K>, b: Group<K>): Group<K> {
  return { keys: [...a.keys, ...b.keys], goods: a.goods + b.goods, bads: a.bads + b.bads };
}

const size = (g: BinCounts) => g.goods + g.bads;

/** A bin is too thin when it is below the minimum size or has no goods or no bads (infinite WoE). */
export function isTooThin(g: BinCounts, minCount: number): boolean {
  return size(g) < minCount || g.goods === 0 || g.bads === 0;
}

/**
 * Merges thin groups into a neighbour in an ordered list (order matters: numeric ranges, or categories
 * sorted by bad rate), then merges the closest neighbours until at most maxBins remain. Thin groups are
 * taken smallest first and join the neighbour whose bad rate is closest.
 */
export function mergeOrdered<K>(groups: Group<K>[], minCount: number, maxBins: number): Group<K>[] {
  const gs = [...groups];
  for (;;) {
    if (gs.length <= 1) break;
    let thin = -1;
    for (let i = 0; i < gs.length; i++) {
      if (isTooThin(gs[i], minCount) && (thin < 0 || size(gs[i]) < size(gs[thin]))) thin = i;
    }
    if (thin < 0) break;
    const left = thin - 1;
    const right = thin + 1;
    const rate = badRate(gs[thin]);
    let target: number;
    if (left < 0) target = right;
    else if (right >= gs.length) target = left;
    else target = Math.abs(badRate(gs[left]) - rate) <= Math.abs(badRate(gs[right]) - rate) ? left : right;
    const lo = Math.min(thin, target);
    gs.splice(lo, 2, mergeGroups(gs[lo], gs[lo + 1]));
  }
  while (gs.length > maxBins) {
    let best = 0;
    for (let i = 1; i + 1 < gs.length; i++) {
      if (Math.abs(badRate(gs[i]) - badRate(gs[i + 1])) < Math.abs(badRate(gs[best]) - badRate(gs[best + 1])))
        best = i;
    }
    gs.splice(best, 2, mergeGroups(gs[best], gs[best + 1]));
  }
  return gs;
}
