import { ScorecardError } from '../errors';

/** Floor for an empty bucket's share, so one empty bucket does not make the index infinite. */
export const PSI_EPSILON = 1e-4;

/** PSI from two lists of bucket shares: Σ (actual − expected) · ln(actual / expected). */
export function psiFromShares(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length || expected.length === 0) {
    throw new ScorecardError(
      'INVALID_DATA',
      `psi: expected ${expected.length} and actual ${actual.length} bucket shares; both lists need the same non-zero length`,
    );
  }
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], PSI_EPSILON);
    const a = Math.max(actual[i], PSI_EPSILON);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/**
 * Upper edges of equal-count buckets of a reference sample (value <= edge falls in that bucket; the last
 * bucket is open). Duplicate edges are dropped, so heavily tied samples get fewer buckets.
 */
export function quantileEdges(sample: readonly number[], buckets = 10): number[] {
  if (sample.length === 0) throw new ScorecardError('EMPTY_SAMPLE', 'psi: the expected sample is empty');
  const sorted = [...sample].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < buckets; b++) {
    const edge = sorted[Math.min(sorted.length - 1, Math.ceil((b * sorted.length) / buckets) - 1)];
    if (edge < sorted[sorted.length - 1] && (edges.length === 0 || edge > edges[edges.length - 1]))
      edges.push(edge);
  }
  return edges;
}

/** Share of a sample in each bucket defined by upper edges (edges.length + 1 buckets). */
export function bucketShares(sample: readonly number[], edges: readonly number[]): number[] {
  if (sample.length === 0) throw new ScorecardError('EMPTY_SAMPLE', 'psi: the actual sample is empty');
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of sample) {
    let k = 0;
    while (k < edges.length && x > edges[k]) k++;
    counts[k]++;
  }
  return counts.map((c) => c / sample.length);
}

/** Population stability index of `actual` against `expected`, bucketed by the expected sample's quantiles. */
export function psi(expected: readonly number[], actual: readonly number[], buckets = 10): number {
  const edges = quantileEdges(expected, buckets);
  return psiFromShares(bucketShares(expected, edges), bucketShares(actual, edges));
}
