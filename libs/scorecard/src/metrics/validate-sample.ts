import { ScorecardError } from '../errors';

/** Scores and 0/1 outcomes (1 = bad) must line up and contain both classes for rank metrics. */
export function assertBinarySample(
  scores: ArrayLike<number>,
  bad: ArrayLike<number>,
  what: string,
): { bads: number; goods: number } {
  if (scores.length !== bad.length) {
    throw new ScorecardError(
      'INVALID_DATA',
      `${what}: ${scores.length} scores but ${bad.length} outcomes; pass one outcome per score`,
    );
  }
  let bads = 0;
  for (let i = 0; i < bad.length; i++) {
    const y = bad[i];
    if (y !== 0 && y !== 1)
      throw new ScorecardError(
        'INVALID_DATA',
        `${what}: outcome ${i} is ${String(y)}; outcomes must be 0 (good) or 1 (bad)`,
      );
    if (!Number.isFinite(scores[i]))
      throw new ScorecardError('INVALID_DATA', `${what}: score ${i} is not a finite number`);
    bads += y;
  }
  const goods = bad.length - bads;
  if (bads === 0 || goods === 0) {
    throw new ScorecardError(
      'EMPTY_SAMPLE',
      `${what}: needs at least one good and one bad outcome (got ${goods} good, ${bads} bad)`,
    );
  }
  return { bads, goods };
}
