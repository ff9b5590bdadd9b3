import { informationValue, badRate } from './woe';
import { mergeGroups, mergeOrdered, type Group } from './merge';

export interface NumericBinningOptions {
  /** Fine classes (equal-frequency, never splitting a distinct value) before monotone merging. */
  fineBins: number;
  minCount: number;
  maxBins: number;
}

export interface NumericRange {
  /** Inclusive upper bound; null for the last, open-ended bin. */
  upper: number | null;
  goods: number;
  bads: number;
}

/** Distinct values with their counts, ascending. */
function distinctCounts(values: readonly number[], bad: readonly number[]): Group<number>[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const out: Group<number>[] = [];
  for (const i of order) {
    const last = out[out.length - 1];
    if (last && last.keys[0] === values[i]) {
      if (bad[i] === 1) last.bads++;
      else last.goods++;
    } else out.push({ keys: [values[i]], goods: bad[i] === 1 ? 0 : 1, bads: bad[i] === 1 ? 1 : 0 });
  }
  return out;
}

function fineClasses(distinct: Group<number>[], n: number, fineBins: number): Group<number>[] {
  const target = n / fineBins;
  const out: Group<number>[] = [];
  let current: Group<number> | null = null;
  for (const d of distinct) {
    current = current ? mergeGroups(current, d) : { ...d, keys: [...d.keys] };
    if (current.goods + current.bads >= target) {
      out.push(current);
      current = null;
    }
  }
  if (current) out.push(current);
  return out;
}

/**
 * Pool-adjacent-violators on the bad rate: merges adjacent classes until bad rates strictly increase
 * (or strictly decrease), which makes the WoE monotonic in the attribute.
 */
function poolAdjacentViolators(classes: Group<number>[], increasing: boolean): Group<number>[] {
  const stack: Group<number>[] = [];
  for (const c of classes) {
    stack.push(c);
    while (stack.length > 1) {
      const a = stack[stack.length - 2];
      const b = stack[stack.length - 1];
      const ordered = increasing ? badRate(a) < badRate(b) : badRate(a) > badRate(b);
      if (ordered) break;
      stack.splice(stack.length - 2, 2, mergeGroups(a, b));
    }
  }
  return stack;
}

/** Re-applies monotonicity after size merging (merging can create equal neighbouring rates). */
function monotoneBins(
  classes: Group<number>[],
  increasing: boolean,
  opts: NumericBinningOptions,
): Group<number>[] {
  let groups = poolAdjacentViolators(classes, increasing);
  for (let round = 0; round < 100; round++) {
    const merged = poolAdjacentViolators(mergeOrdered(groups, opts.minCount, opts.maxBins), increasing);
    if (merged.length === groups.length) return merged;
    groups = merged;
  }
  return groups;
}

/**
 * Monotonic WoE binning of a numeric attribute: fine equal-frequency classes, then pooling so the bad
 * rate moves one way only, then merging bins below the minimum size. Both directions are tried and the
 * one keeping more information value wins.
 */
export function binNumeric(
  values: readonly number[],
  bad: readonly number[],
  opts: NumericBinningOptions,
): NumericRange[] {
  if (values.length === 0) return [];
  const fine = fineClasses(distinctCounts(values, bad), values.length, opts.fineBins);
  const up = monotoneBins(fine, true, opts);
  const down = monotoneBins(fine, false, opts);
  const best = informationValue(down) > informationValue(up) ? down : up;
  return best.map((g, i) => ({
    upper: i === best.length - 1 ? null : Math.max(...g.keys),
    goods: g.goods,
    bads: g.bads,
  }));
}
