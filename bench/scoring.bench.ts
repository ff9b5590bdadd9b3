// npm run bench -- scoring  ->  bench/results/scoring.json
import { writeBenchResult, type BenchMetric } from '@paylend/testing';
import { measureInProcessScoring } from './scoring-in-process';
import { measureKafkaScoring } from './scoring-kafka';

async function main(): Promise<void> {
  const notes: string[] = [];
  const metrics: Record<string, BenchMetric> = {};

  const inProcess = measureInProcessScoring();
  Object.assign(metrics, inProcess.metrics);
  notes.push(inProcess.notes);

  const kafka = await measureKafkaScoring(Number(process.env['SCORING_BENCH_RATE'] ?? 200), 15);
  Object.assign(metrics, kafka.metrics);
  notes.push(kafka.notes);

  writeBenchResult('scoring', metrics, notes.join(' '));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
