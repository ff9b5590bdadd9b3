import type { ClientBase } from 'pg';
import { ModelDriftDetected } from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import type { Scorecard } from '@paylend/scorecard';
import type { DriftSettings } from '../config/scoring-config';
import { populationStability, type StabilityReport } from './population-stability';

export async function recentRawScores(db: ClientBase, model: Scorecard, window: number): Promise<number[]> {
  const { rows } = await db.query<{ s: number }>(
    `SELECT application_raw_score AS s FROM score_decisions
      WHERE model_name = $1 AND model_version = $2 ORDER BY id DESC LIMIT $3`,
    [model.artifact.model.name, model.artifact.model.version, window],
  );
  return rows.map((r) => r.s);
}

export async function isAlerting(db: ClientBase, model: Scorecard): Promise<boolean> {
  const { rows } = await db.query<{ alerting: boolean }>(
    'SELECT alerting FROM model_drift_state WHERE model_name = $1 AND model_version = $2',
    [model.artifact.model.name, model.artifact.model.version],
  );
  return rows[0]?.alerting ?? false;
}

/**
 * Measures the PSI of the recent window and, on the transaction given, raises `scoring.model.drift-detected.v1`
 * through the outbox when it crosses above the threshold. The state row is locked so that concurrent
 * checks raise one alert per crossing; the alert is re-armed once the PSI falls back to the threshold.
 */
export async function checkDrift(
  tx: ClientBase,
  model: Scorecard,
  settings: DriftSettings,
  now: Date,
): Promise<{ report: StabilityReport; raised: boolean }> {
  const { name, version } = model.artifact.model;
  await tx.query(
    `INSERT INTO model_drift_state (model_name, model_version) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    [name, version],
  );
  const { rows } = await tx.query<{ alerting: boolean }>(
    'SELECT alerting FROM model_drift_state WHERE model_name = $1 AND model_version = $2 FOR UPDATE',
    [name, version],
  );
  const wasAlerting = rows[0]?.alerting ?? false;
  const report = populationStability(model, await recentRawScores(tx, model, settings.window), settings);
  if (report.psi === null) return { report, raised: false };
  const drifted = report.psi > settings.threshold;
  const raised = drifted && !wasAlerting;
  if (raised) {
    await enqueue(tx, ModelDriftDetected, {
      model: { name, version },
      psi: report.psi,
      threshold: settings.threshold,
      sampleSize: report.sampleSize,
      detectedAt: now.toISOString(),
    });
  }
  await tx.query(
    `UPDATE model_drift_state SET alerting = $3, last_psi = $4, sample_size = $5, last_checked_at = $6,
       last_alert_at = CASE WHEN $7 THEN $6 ELSE last_alert_at END
     WHERE model_name = $1 AND model_version = $2`,
    [name, version, drifted, report.psi, report.sampleSize, now, raised],
  );
  return { report, raised };
}
