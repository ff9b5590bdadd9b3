// npm run bench -- settlement  ->  bench/results/settlement.json
// SETTLEMENT_BENCH_SKIP_PG=1 measures only the in-memory netting.
import { writeBenchResult, type BenchMetric } from '@paylend/testing';
import { measureNetting } from './settlement-netting';
import { measureWindowSettlement } from './settlement-window';

async function main(): Promise<void> {
  const metrics: Record<string, BenchMetric> = {};
  const notes: string[] = [];
  const netting = measureNetting();
  Object.assign(metrics, netting.metrics);
  notes.push(netting.notes);
  if (process.env['SETTLEMENT_BENCH_SKIP_PG'] !== '1') {
    const window = await measureWindowSettlement();
    Object.assign(metrics, window.metrics);
    notes.push(window.notes);
  }
  writeBenchResult('settlement', metrics, notes.join(' '));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
