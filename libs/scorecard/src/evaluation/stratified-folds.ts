import { ScorecardError } from '../errors';
import { mulberry32, shuffled } from '../random/mulberry32';

/**
 * Assigns each row to one of k folds so every fold has (within one) the same number of goods and of
 * bads. The shuffle is driven by the seed alone.
 */
export function stratifiedFolds(bad: readonly number[], k: number, seed: number): number[] {
  if (!Number.isInteger(k) || k < 2)
    throw new ScorecardError('INVALID_OPTION', `folds must be an integer >= 2, got ${k}`);
  const bads = bad.flatMap((b, i) => (b === 1 ? [i] : []));
  const goods = bad.flatMap((b, i) => (b === 1 ? [] : [i]));
  if (bads.length < k || goods.length < k) {
    throw new ScorecardError(
      'INVALID_OPTION',
      `${k} folds need at least ${k} goods and ${k} bads (have ${goods.length} and ${bads.length})`,
    );
  }
  const next = mulberry32(seed);
  const fold = new Array<number>(bad.length).fill(-1);
  let slot = 0;
  for (const i of [...shuffled(bads, next), ...shuffled(goods, next)]) fold[i] = slot++ % k;
  return fold;
}
