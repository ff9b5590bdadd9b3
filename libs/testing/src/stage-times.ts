/**
 * Diagnosis only (BENCH_STAGE_TIMES=1): where a payment's time goes, stage by stage. The services run at
 * LOG_LEVEL=debug, where each inbox chunk logs how long its messages waited since they were produced and
 * how long applying them took, and each payments driver batch logs its wallet round trip and completion;
 * this averages those lines over one sweep point's window.
 */
export interface StageTime {
  stage: string;
  batches: number;
  mean: Record<string, number>;
}

const FIELDS: Record<string, string[]> = {
  'inbox chunk': ['messages', 'waitedMs', 'applyMs'],
  'payment batch': ['orders', 'walletMs', 'completeMs', 'waiting'],
};

export function stageTimes(
  services: ReadonlyArray<{ name: string; lines: readonly string[] }>,
  from: Date,
  to: Date,
): StageTime[] {
  const sums = new Map<string, { batches: number; sum: Record<string, number> }>();
  for (const { name, lines } of services) {
    for (const line of lines) {
      if (!Object.keys(FIELDS).some((m) => line.includes(`"${m}"`))) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      const at = new Date(String(entry['time'])).getTime();
      if (at < from.getTime() || at > to.getTime()) continue;
      const msg = String(entry['msg']);
      const stage = msg === 'inbox chunk' ? `${name} ${String(entry['topic'])}` : `${name} ${msg}`;
      const s = sums.get(stage) ?? { batches: 0, sum: {} };
      s.batches++;
      for (const f of FIELDS[msg] ?? []) s.sum[f] = (s.sum[f] ?? 0) + Number(entry[f] ?? 0);
      sums.set(stage, s);
    }
  }
  return [...sums].map(([stage, { batches, sum }]) => ({
    stage,
    batches,
    mean: Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, Math.round((v / batches) * 10) / 10])),
  }));
}

export function formatStageTimes(times: StageTime[]): string {
  return times
    .sort((a, b) => a.stage.localeCompare(b.stage))
    .map(
      (t) =>
        `  ${t.stage}: ${t.batches} batches, mean ${Object.entries(t.mean)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    )
    .join('\n');
}
