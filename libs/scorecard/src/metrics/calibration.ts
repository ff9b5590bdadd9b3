import { ScorecardError } from '../errors';

export interface CalibrationRow {
  /** PD range of the bucket (inclusive). */
  pdFrom: number;
  pdTo: number;
  count: number;
  meanPd: number;
  observedBadRate: number;
  bads: number;
}

/** Equal-count buckets by predicted PD, comparing mean predicted PD with the observed bad rate. */
export function calibrationTable(
  pd: ArrayLike<number>,
  bad: ArrayLike<number>,
  buckets = 10,
): CalibrationRow[] {
  if (pd.length !== bad.length || pd.length === 0) {
    throw new ScorecardError(
      'INVALID_DATA',
      `calibration: ${pd.length} PDs and ${bad.length} outcomes; need one outcome per PD and at least one`,
    );
  }
  const order = Array.from({ length: pd.length }, (_, i) => i).sort((a, b) => pd[a] - pd[b]);
  const rows: CalibrationRow[] = [];
  const k = Math.min(buckets, order.length);
  for (let b = 0; b < k; b++) {
    const from = Math.floor((b * order.length) / k);
    const to = Math.floor(((b + 1) * order.length) / k);
    let sumPd = 0;
    let bads = 0;
    for (let i = from; i < to; i++) {
      sumPd += pd[order[i]];
      bads += bad[order[i]];
    }
    const count = to - from;
    rows.push({
      pdFrom: pd[order[from]],
      pdTo: pd[order[to - 1]],
      count,
      meanPd: sumPd / count,
      observedBadRate: bads / count,
      bads,
    });
  }
  return rows;
}
