// npm run bench -- scoring  ->  bench/results/scoring.json
import { writeBenchResult, type BenchMetric } from '@paylend/testing';
import { measureInProcessScoring } from './scoring-in-process';

function main(): void {
  const notes: string[] = [];
  const metrics: Record<string, BenchMetric> = {};

  const inProcess = measureInProcessScoring();
  Object.assign(metrics, inProcess.metrics);
  notes.push(inProcess.notes);

  // Further measurements (e.g. kafka_score_p99_ms through the scoring service) add their metrics and
  // notes here in the same way.

  writeBenchResult('scoring', metrics, notes.join(' '));
}

main();
