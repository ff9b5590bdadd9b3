import type { ClientBase } from 'pg';

export interface ModelRef {
  name: string;
  version: number;
}

/** The unrounded application scores of a model's most recent decisions, newest first. */
export async function recentRawScores(db: ClientBase, model: ModelRef, window: number): Promise<number[]> {
  const { rows } = await db.query<{ s: number }>(
    `SELECT application_raw_score AS s FROM score_decisions
      WHERE model_name = $1 AND model_version = $2 ORDER BY id DESC LIMIT $3`,
    [model.name, model.version, window],
  );
  return rows.map((r) => r.s);
}

export async function isAlerting(db: ClientBase, model: ModelRef): Promise<boolean> {
  const { rows } = await db.query<{ alerting: boolean }>(
    'SELECT alerting FROM model_drift_state WHERE model_name = $1 AND model_version = $2',
    [model.name, model.version],
  );
  return rows[0]?.alerting ?? false;
}

/** Locks the model's drift state row for the rest of the transaction (creating it) and says if it alerts. */
export async function lockDriftState(tx: ClientBase, model: ModelRef): Promise<{ alerting: boolean }> {
  await tx.query(
    `INSERT INTO model_drift_state (model_name, model_version) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    [model.name, model.version],
  );
  const { rows } = await tx.query<{ alerting: boolean }>(
    'SELECT alerting FROM model_drift_state WHERE model_name = $1 AND model_version = $2 FOR UPDATE',
    [model.name, model.version],
  );
  return { alerting: rows[0]?.alerting ?? false };
}

export async function saveDriftCheck(
  tx: ClientBase,
  model: ModelRef,
  check: { alerting: boolean; psi: number; sampleSize: number; at: Date; raised: boolean },
): Promise<void> {
  await tx.query(
    `UPDATE model_drift_state SET alerting = $3, last_psi = $4, sample_size = $5, last_checked_at = $6,
       last_alert_at = CASE WHEN $7 THEN $6 ELSE last_alert_at END
     WHERE model_name = $1 AND model_version = $2`,
    [model.name, model.version, check.alerting, check.psi, check.sampleSize, check.at, check.raised],
  );
}
