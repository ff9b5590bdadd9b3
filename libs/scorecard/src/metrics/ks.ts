import { assertBinarySample } from './validate-sample';

export interface KsResult {
  /** Maximum distance between the cumulative score distributions of bads and goods, in [0, 1]. */
  ks: number;
  /** The score at which the distance is greatest (cumulating scores <= threshold). */
  threshold: number;
}

/** Kolmogorov–Smirnov separation; tied scores move together, so the result does not depend on input order. */
export function ks(scores: ArrayLike<number>, bad: ArrayLike<number>): KsResult {
  const { bads, goods } = assertBinarySample(scores, bad, 'ks');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let cumBad = 0;
  let cumGood = 0;
  // Compare gaps in integer arithmetic (scaled by bads·goods) so equal gaps tie exactly.
  let bestGap = 0;
  let threshold = scores[order[0]];
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i]];
    while (i < order.length && scores[order[i]] === s) {
      if (bad[order[i]] === 1) cumBad++;
      else cumGood++;
      i++;
    }
    const gap = Math.abs(cumBad * goods - cumGood * bads);
    if (gap > bestGap) {
      bestGap = gap;
      threshold = s;
    }
  }
  return { ks: bestGap / (bads * goods), threshold };
}
