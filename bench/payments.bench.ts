// npm run bench -- payments  ->  bench/results/payments.json
import { writeBenchResult, type BenchMetric } from '@paylend/testing';
import { measurePaymentsE2e } from './payments-e2e';
import { measureQrDecode } from './qr-decode';

async function main(): Promise<void> {
  const notes: string[] = [];
  const metrics: Record<string, BenchMetric> = {};

  const only = process.env['BENCH_ONLY']; // "qr" or "e2e": one half, when diagnosing the other is noise
  if (only !== 'e2e') {
    const qr = measureQrDecode();
    Object.assign(metrics, qr.metrics);
    notes.push(qr.notes);
  }
  if (only === 'qr') {
    writeBenchResult('payments', metrics, notes.join(' '));
    return;
  }

  const baselineConcurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 96);
  const e2e = await measurePaymentsE2e({
    payments: Number(process.env['BENCH_PAYMENTS'] ?? 2500),
    holds: Number(process.env['BENCH_HOLDS'] ?? 400),
    pings: Number(process.env['BENCH_PINGS'] ?? 2000),
    // Requests in flight, swept (a comma list); the baselines run at BENCH_CONCURRENCY, added if missing.
    sweep: [
      ...new Set([
        ...(process.env['BENCH_SWEEP'] ?? '32,48,64,80,96,112,128').split(',').map(Number),
        baselineConcurrency,
      ]),
    ].sort((a, b) => a - b),
    baselineConcurrency,
    serial: Number(process.env['BENCH_SERIAL'] ?? 100),
  });
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
