/**
 * CPU per operation across a concurrency sweep, fitted by least squares as
 * `perOperation + perChunk / inFlight`: what every operation costs however it is batched, and what each
 * chunk's fixed work (statements, commits, Kafka requests) adds, shared by the operations in flight.
 * A description of one sweep, not a bound: points a noisy host slowed move both parts. Undefined with
 * fewer than two distinct concurrencies, or when the points do not fit the model (a cost per operation at
 * or below zero, or one that grows with the batch: noise larger than the effect, typically two points on a
 * busy host).
 */
export function cpuCostFit(
  points: ReadonlyArray<{ concurrency: number; cpuTotal: number }>,
): { perOperation: number; perChunk: number } | undefined {
  if (new Set(points.map((p) => p.concurrency)).size < 2) return undefined;
  const xs = points.map((p) => 1 / p.concurrency);
  const ys = points.map((p) => p.cpuTotal);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const perChunk = sxy / sxx;
  const perOperation = my - perChunk * mx;
  if (!(perOperation > 0) || perChunk < -1e-6) return undefined;
  return { perOperation, perChunk };
}
