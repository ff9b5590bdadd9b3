// npm run bench -- payments  ->  bench/results/payments.json
import { writeBenchResult, type BenchMetric } from '@paylend/testing';
import { measurePaymentsE2e } from './payments-e2e';
import { measureQrDecode } from './qr-decode';

async function main(): Promise<void> {
  const notes: string[] = [];
  const metrics: Record<string, BenchMetric> = {};

  const qr = measureQrDecode();
  Object.assign(metrics, qr.metrics);
  notes.push(qr.notes);

  const e2e = await measurePaymentsE2e({ payments: 700, holds: 400, concurrency: 32, serial: 100 });
  Object.assign(metrics, e2e.metrics);
  notes.push(e2e.notes);

  writeBenchResult('payments', metrics, notes.join(' '));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
