import type { Dataset } from '../dataset/dataset';
import { disparateImpactReport, type FairnessReport } from '../fairness/disparate-impact';
import { auc, gini } from '../metrics/auc';
import { calibrationTable, type CalibrationRow } from '../metrics/calibration';
import { confusionAtCutoff, type ConfusionTable } from '../metrics/confusion';
import { ks } from '../metrics/ks';
import { bucketShares, psiFromShares } from '../metrics/psi';
import { sigmoid } from '../regression/logistic-regression';
import { rawScore } from '../scaling/points-scaling';
import { logOddsBad, type Scorecard } from '../model/scorecard';

export interface EvaluationReport {
  model: { name: string; version: number };
  rows: number;
  bads: number;
  auc: number;
  gini: number;
  ks: number;
  excluded: string[];
  confusion: ConfusionTable;
  calibration: CalibrationRow[];
  /** Score distribution of this data against the training data's (PSI > 0.25 usually means a shift). */
  psi: number;
  fairness: FairnessReport;
}

/** Scores a labelled dataset with a trained model; only the model's own attributes are read as inputs. */
export function evaluateModel(model: Scorecard, dataset: Dataset): EvaluationReport {
  const names = model.attributes.map((a) => a.name);
  const z = dataset.rows.map((row) => {
    const app: Record<string, number | string | null> = {};
    for (const a of names) app[a] = row[a] ?? null;
    return logOddsBad(model, app);
  });
  const pd = z.map(sigmoid);
  const a = model.artifact;
  const aucValue = auc(z, dataset.bad);
  const dist = a.scoreDistribution;
  return {
    model: a.model,
    rows: dataset.rows.length,
    bads: dataset.bad.reduce((s, b) => s + b, 0),
    auc: aucValue,
    gini: gini(aucValue),
    ks: ks(z, dataset.bad).ks,
    excluded: a.excluded,
    confusion: confusionAtCutoff(pd, dataset.bad, a.decision.cutoffPd, a.decision.costs),
    calibration: calibrationTable(pd, dataset.bad),
    psi: psiFromShares(
      dist.shares,
      bucketShares(
        z.map((v) => rawScore(v, a.scaling)),
        dist.edges,
      ),
    ),
    fairness: disparateImpactReport(dataset, pd, a.decision.cutoffPd, 'predictions of the evaluated model'),
  };
}
