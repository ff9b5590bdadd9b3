import {
  binAttribute,
  binIndexOf,
  type AttributeBinning,
  type AttributeType,
  type BinningOptions,
} from '../binning/attribute-binning';
import type { AttributeSpec, Dataset } from '../dataset/dataset';
import { ScorecardError } from '../errors';
import { fitLogistic, type LogisticOptions } from '../regression/logistic-regression';

export interface FitOptions {
  binning: BinningOptions;
  /** Attributes with a lower information value are left out (0.02 is the usual "not predictive" line). */
  minIv: number;
  logistic: LogisticOptions;
}

export interface FittedCore {
  intercept: number;
  attributes: { binning: AttributeBinning; coefficient: number }[];
  candidates: { attribute: string; type: AttributeType; iv: number; selected: boolean }[];
  iterations: number;
  droppedForSign: string[];
}

/**
 * Bins the candidate attributes on the given rows, keeps those with enough IV, and fits the logistic
 * regression on their WoE. With WoE defined as ln(good share / bad share), every coefficient on the
 * log-odds of bad should be negative; an attribute that comes out positive (collinearity) is dropped
 * and the model refitted, so every attribute's points rise with its WoE and reason codes make sense.
 */
export function fitCore(
  dataset: Dataset,
  candidates: readonly AttributeSpec[],
  rowIndexes: readonly number[],
  opts: FitOptions,
): FittedCore {
  const bad = rowIndexes.map((i) => dataset.bad[i]);
  const binnings = candidates.map((spec) =>
    binAttribute(
      spec.name,
      spec.type,
      rowIndexes.map((i) => dataset.rows[i][spec.name] ?? null),
      bad,
      opts.binning,
    ),
  );
  let selected = binnings.filter((b) => b.iv >= opts.minIv);
  const droppedForSign: string[] = [];
  for (;;) {
    if (selected.length === 0) {
      throw new ScorecardError(
        'NO_ATTRIBUTES_SELECTED',
        `no attribute reaches the minimum information value ${opts.minIv}; lower --min-iv or check the target`,
      );
    }
    const x = rowIndexes.map((i) =>
      selected.map((b) => b.bins[binIndexOf(b, dataset.rows[i][b.attribute] ?? null)].woe),
    );
    const fit = fitLogistic(x, bad, opts.logistic);
    let worst = -1;
    fit.coefficients.forEach((c, j) => {
      if (c > 0 && (worst < 0 || c > fit.coefficients[worst])) worst = j;
    });
    if (worst < 0) {
      const chosen = new Set(selected.map((b) => b.attribute));
      return {
        intercept: fit.intercept,
        attributes: selected.map((binning, j) => ({ binning, coefficient: fit.coefficients[j] })),
        candidates: binnings.map((b) => ({
          attribute: b.attribute,
          type: b.type,
          iv: b.iv,
          selected: chosen.has(b.attribute),
        })),
        iterations: fit.iterations,
        droppedForSign,
      };
    }
    droppedForSign.push(selected[worst].attribute);
    selected = selected.filter((_, j) => j !== worst);
  }
}

/**
 * Log-odds of bad for a held-out row. A category or a missing value that the training folds never saw
 * contributes WoE 0 (average risk) here, so cross-validation can score every row; the shipped model
 * refuses such inputs instead.
 */
export function holdoutLogOdds(core: FittedCore, row: Record<string, unknown>): number {
  let z = core.intercept;
  for (const { binning, coefficient } of core.attributes) {
    const value = row[binning.attribute];
    try {
      z += coefficient * binning.bins[binIndexOf(binning, (value ?? null) as number | string | null)].woe;
    } catch (err) {
      if (!(
        err instanceof ScorecardError &&
        (err.code === 'UNKNOWN_CATEGORY' || err.code === 'MISSING_VALUE')
      ))
        throw err;
    }
  }
  return z;
}
