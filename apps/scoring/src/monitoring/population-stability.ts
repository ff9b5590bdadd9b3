import { bucketShares, psiFromShares, type Scorecard } from '@paylend/scorecard';

export type StabilityStatus = 'stable' | 'watch' | 'drifted' | 'insufficient-data';

export interface StabilityReport {
  psi: number | null;
  status: StabilityStatus;
  sampleSize: number;
  buckets: Array<{ upperScore: number | null; expectedShare: number; actualShare: number }>;
}

/** Below this PSI a population counts as unchanged; the usual rule of thumb (0.1 / 0.25). */
export const WATCH_PSI = 0.1;

/**
 * PSI of recent applications' (unrounded) scorecard scores against the training population, bucketed at
 * the training score deciles stored in the model artifact, exactly as `evaluateModel` measures it.
 */
export function populationStability(
  model: Scorecard,
  recentRawScores: readonly number[],
  settings: { minSample: number; threshold: number },
): StabilityReport {
  const { edges, shares } = model.artifact.scoreDistribution;
  const upper = (i: number) => (i < edges.length ? edges[i]! : null);
  if (recentRawScores.length < settings.minSample) {
    return {
      psi: null,
      status: 'insufficient-data',
      sampleSize: recentRawScores.length,
      buckets: shares.map((s, i) => ({ upperScore: upper(i), expectedShare: s, actualShare: 0 })),
    };
  }
  const actual = bucketShares(recentRawScores, edges);
  const psi = psiFromShares(shares, actual);
  return {
    psi,
    status: psi > settings.threshold ? 'drifted' : psi > WATCH_PSI ? 'watch' : 'stable',
    sampleSize: recentRawScores.length,
    buckets: shares.map((s, i) => ({ upperScore: upper(i), expectedShare: s, actualShare: actual[i]! })),
  };
}
