// npm run bench -- payments  ->  bench/results/payments.json
import { writeBenchResult, type BenchMetric } from '@paylend/testing';
import { measureQrDecode } from './qr-decode';

function main(): void {
  const notes: string[] = [];
  const metrics: Record<string, BenchMetric> = {};

  const qr = measureQrDecode();
  Object.assign(metrics, qr.metrics);
  notes.push(qr.notes);

  // The end-to-end payments metrics (dynamic QR per order, scan-to-capture) add their metrics and notes here.

  writeBenchResult('payments', metrics, notes.join(' '));
}

main();
