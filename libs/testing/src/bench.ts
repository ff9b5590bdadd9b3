import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './database';

export interface BenchMetric {
  value: number;
  unit: string;
  target?: number;
}

/** Writes `bench/results/<name>.json` in the one shape every PayLend benchmark uses, and prints a table. */
export function writeBenchResult(name: string, metrics: Record<string, BenchMetric>, notes: string): string {
  const dir = join(WORKSPACE_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const body = { name, at: new Date().toISOString(), metrics, notes };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  const rows = Object.entries(metrics).map(([k, m]) => ({
    metric: k,
    value: Number.isInteger(m.value) ? m.value : Number(m.value.toFixed(3)),
    unit: m.unit,
    target: m.target ?? '',
  }));
  console.table(rows);
  console.log(`wrote ${file}`);
  return file;
}

/** p-th percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
