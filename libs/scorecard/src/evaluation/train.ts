import { DEFAULT_BINNING, type BinningOptions } from '../binning/attribute-binning';
import type { AttributeSpec, Dataset } from '../dataset/dataset';
import { isProtectedAttribute } from '../dataset/protected-attributes';
import { ScorecardError } from '../errors';
import { disparateImpactReport } from '../fairness/disparate-impact';
import { DEFAULT_GRADES, validateGrades, type GradeBand } from '../grading/grades';
import { auc, gini } from '../metrics/auc';
import { calibrationTable } from '../metrics/calibration';
import {
  confusionAtCutoff,
  costOptimalCutoff,
  DEFAULT_COST_MATRIX,
  type CostMatrix,
} from '../metrics/confusion';
import { ks } from '../metrics/ks';
import { bucketShares, psi, quantileEdges } from '../metrics/psi';
import { DEFAULT_LOGISTIC, sigmoid, type LogisticOptions } from '../regression/logistic-regression';
import {
  DEFAULT_SCALING,
  rawScore,
  scalingFactor,
  scalingOffset,
  validateScaling,
  type ScalingConfig,
} from '../scaling/points-scaling';
import type { ScorecardArtifact } from '../model/artifact';
import { fitCore, holdoutLogOdds, type FitOptions } from '../model/fit';
import { roundNumbers } from '../model/round';
import { compile, logOddsBad, type Application } from '../model/scorecard';
import { stratifiedFolds } from './stratified-folds';

export interface TrainOptions {
  name: string;
  version: number;
  folds: number;
  seed: number;
  /** Attributes to leave out on top of the protected ones, which are always left out. */
  exclude: string[];
  binning: BinningOptions;
  minIv: number;
  logistic: LogisticOptions;
  scaling: ScalingConfig;
  grades: GradeBand[];
  costs: CostMatrix;
  /** PD above which an applicant is refused; defaults to the cost-optimal cut-off. */
  cutoffPd?: number;
  now: () => Date;
}

export const DEFAULT_TRAIN: TrainOptions = {
  name: 'scorecard',
  version: 1,
  folds: 5,
  seed: 42,
  exclude: [],
  binning: DEFAULT_BINNING,
  minIv: 0.02,
  logistic: DEFAULT_LOGISTIC,
  scaling: DEFAULT_SCALING,
  grades: DEFAULT_GRADES,
  costs: DEFAULT_COST_MATRIX,
  now: () => new Date(),
};

export interface FoldResult {
  fold: number;
  rows: number;
  bads: number;
  auc: number;
  gini: number;
  ks: number;
  psiTrainVsHoldout: number;
}

/** Which attributes may be model inputs: never a protected one, never one the caller excluded. */
export function candidateAttributes(
  dataset: Dataset,
  exclude: readonly string[],
): { candidates: AttributeSpec[]; excluded: string[] } {
  const names = new Set(dataset.attributes.map((a) => a.name));
  for (const e of exclude) {
    if (!names.has(e))
      throw new ScorecardError(
        'INVALID_OPTION',
        `cannot exclude "${e}": the data has no such attribute (it has ${[...names].join(', ')})`,
      );
  }
  const excluded = dataset.attributes
    .filter((a) => exclude.includes(a.name) || isProtectedAttribute(a.name))
    .map((a) => a.name);
  return { candidates: dataset.attributes.filter((a) => !excluded.includes(a.name)), excluded };
}

function modelRow(dataset: Dataset, i: number, attributes: readonly string[]): Application {
  const row = dataset.rows[i];
  const app: Record<string, number | string | null> = {};
  for (const a of attributes) app[a] = row[a] ?? null;
  return app;
}

/**
 * Stratified k-fold cross-validation (binning, selection and fit redone inside every fold, so the
 * held-out fold never informs its own model), then the final fit on all rows, packed as an artifact.
 */
export function trainScorecard(dataset: Dataset, options: Partial<TrainOptions> = {}): ScorecardArtifact {
  const opts: TrainOptions = { ...DEFAULT_TRAIN, ...options };
  validateScaling(opts.scaling);
  validateGrades(opts.grades);
  if (dataset.rows.length !== dataset.bad.length)
    throw new ScorecardError('INVALID_DATA', 'each row needs one outcome');
  const { candidates, excluded } = candidateAttributes(dataset, opts.exclude);
  if (candidates.length === 0)
    throw new ScorecardError(
      'NO_ATTRIBUTES_SELECTED',
      'every attribute is excluded or protected; nothing is left to train on',
    );
  const fitOpts: FitOptions = { binning: opts.binning, minIv: opts.minIv, logistic: opts.logistic };
  const cutoffPd = opts.cutoffPd ?? costOptimalCutoff(opts.costs);
  const n = dataset.rows.length;
  const all = Array.from({ length: n }, (_, i) => i);

  const foldOf = stratifiedFolds(dataset.bad, opts.folds, opts.seed);
  const oofPd = new Array<number>(n).fill(Number.NaN);
  const folds: FoldResult[] = [];
  for (let f = 0; f < opts.folds; f++) {
    const train = all.filter((i) => foldOf[i] !== f);
    const test = all.filter((i) => foldOf[i] === f);
    const core = fitCore(dataset, candidates, train, fitOpts);
    const zTest = test.map((i) => holdoutLogOdds(core, dataset.rows[i]));
    const zTrain = train.map((i) => holdoutLogOdds(core, dataset.rows[i]));
    const yTest = test.map((i) => dataset.bad[i]);
    test.forEach((i, k) => (oofPd[i] = sigmoid(zTest[k])));
    const a = auc(zTest, yTest);
    folds.push({
      fold: f + 1,
      rows: test.length,
      bads: yTest.reduce((s, y) => s + y, 0),
      auc: a,
      gini: gini(a),
      ks: ks(zTest, yTest).ks,
      psiTrainVsHoldout: psi(zTrain, zTest),
    });
  }
  const mean = (key: 'auc' | 'gini' | 'ks') => folds.reduce((s, r) => s + r[key], 0) / folds.length;

  const core = fitCore(dataset, candidates, all, fitOpts);
  const factor = scalingFactor(opts.scaling);
  const draft: ScorecardArtifact = {
    schema: 'paylend.scorecard',
    schemaVersion: 1,
    model: { name: opts.name, version: opts.version },
    createdAt: opts.now().toISOString(),
    data: {
      format: dataset.source.format,
      sha256: dataset.source.sha256,
      rows: n,
      goods: n - dataset.bad.reduce((s, b) => s + b, 0),
      bads: dataset.bad.reduce((s, b) => s + b, 0),
      target: dataset.source.target,
      badValue: dataset.source.badValue,
    },
    training: {
      seed: opts.seed,
      folds: opts.folds,
      binning: opts.binning,
      minIv: opts.minIv,
      logistic: opts.logistic,
      iterations: core.iterations,
      droppedForSign: core.droppedForSign,
    },
    excluded,
    candidates: core.candidates,
    intercept: core.intercept,
    attributes: core.attributes.map(({ binning, coefficient }) => ({
      attribute: binning.attribute,
      type: binning.type,
      iv: binning.iv,
      coefficient,
      missingBin: binning.missingBin,
      bins: binning.bins.map((b) => ({ ...b, points: -factor * coefficient * b.woe })),
    })),
    scaling: opts.scaling,
    basePoints: scalingOffset(opts.scaling) - factor * core.intercept,
    grades: opts.grades,
    decision: { cutoffPd, costs: opts.costs },
    scoreDistribution: { edges: [], shares: [] },
    metrics: {
      crossValidation: { auc: mean('auc'), gini: mean('gini'), ks: mean('ks'), folds },
      training: { auc: 0, gini: 0, ks: 0 },
      outOfFold: {
        confusion: confusionAtCutoff(oofPd, dataset.bad, cutoffPd, opts.costs),
        calibration: calibrationTable(oofPd, dataset.bad),
      },
      fairness: disparateImpactReport(
        dataset,
        oofPd,
        cutoffPd,
        'out-of-fold predictions of the cross-validation',
      ),
    },
  };

  // Training metrics and the reference score distribution come from the rounded artifact itself, so
  // they describe exactly the model that ships.
  const rounded = roundNumbers(draft);
  const model = compile(rounded);
  const names = model.attributes.map((a) => a.name);
  const z = all.map((i) => logOddsBad(model, modelRow(dataset, i, names)));
  const scores = z.map((v) => rawScore(v, rounded.scaling));
  // Edges are rounded before bucketing so a score sitting on an edge stays on the same side when the
  // stored (rounded) edges are used again by evaluate.
  const edges = roundNumbers(quantileEdges(scores));
  const trainAuc = auc(z, dataset.bad);
  return roundNumbers({
    ...rounded,
    scoreDistribution: { edges, shares: bucketShares(scores, edges) },
    metrics: {
      ...rounded.metrics,
      training: { auc: trainAuc, gini: gini(trainAuc), ks: ks(z, dataset.bad).ks },
    },
  });
}
