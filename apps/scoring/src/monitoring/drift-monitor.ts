import type { ClientBase } from 'pg';
import { ModelDriftDetected } from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import type { Scorecard } from '@paylend/scorecard';
import { lockDriftState, recentRawScores, saveDriftCheck } from '@paylend/scoring-data-access';
import type { DriftSettings } from '../config/scoring-config';
import { populationStability, type StabilityReport } from './population-stability';

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
  const ref = model.artifact.model;
  const { alerting: wasAlerting } = await lockDriftState(tx, ref);
  const report = populationStability(model, await recentRawScores(tx, ref, settings.window), settings);
  if (report.psi === null) return { report, raised: false };
  const drifted = report.psi > settings.threshold;
  const raised = drifted && !wasAlerting;
  if (raised) {
    await enqueue(tx, ModelDriftDetected, {
      model: { name: ref.name, version: ref.version },
      psi: report.psi,
      threshold: settings.threshold,
      sampleSize: report.sampleSize,
      detectedAt: now.toISOString(),
    });
  }
  await saveDriftCheck(tx, ref, {
    alerting: drifted,
    psi: report.psi,
    sampleSize: report.sampleSize,
    at: now,
    raised,
  });
  return { report, raised };
}
