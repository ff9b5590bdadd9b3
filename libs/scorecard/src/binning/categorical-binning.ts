import { badRate } from './woe';
import { mergeOrdered, type Group } from './merge';

export interface CategoricalBinningOptions {
  minCount: number;
  maxBins: number;
}

export interface CategoryGroup {
  categories: string[];
  goods: number;
  bads: number;
}

/**
 * Groups categories: ordered by bad rate, categories below the minimum size join the neighbour with the
 * closest bad rate, and the closest neighbours merge until at most maxBins groups remain.
 */
export function binCategorical(
  values: readonly string[],
  bad: readonly number[],
  opts: CategoricalBinningOptions,
): CategoryGroup[] {
  const byCategory = new Map<string, Group<string>>();
  values.forEach((v, i) => {
    let g = byCategory.get(v);
    if (!g) byCategory.set(v, (g = { keys: [v], goods: 0, bads: 0 }));
    if (bad[i] === 1) g.bads++;
    else g.goods++;
  });
  // Ties in bad rate are broken by category name so the grouping never depends on input order.
  const ordered = [...byCategory.values()].sort(
    (a, b) => badRate(a) - badRate(b) || (a.keys[0] < b.keys[0] ? -1 : 1),
  );
  return mergeOrdered(ordered, opts.minCount, opts.maxBins).map((g) => ({
    categories: [...g.keys].sort(),
    goods: g.goods,
    bads: g.bads,
  }));
}
