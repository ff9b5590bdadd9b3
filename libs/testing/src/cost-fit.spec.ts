import fc from 'fast-check';
import { cpuCostFit } from './cost-fit';

describe('cpuCostFit', () => {
  it('recovers the per-operation and per-chunk costs of points that follow the model exactly', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 512 }), { minLength: 2, maxLength: 8 }),
        (perOperation, perChunk, concurrencies) => {
          const fit = cpuCostFit(
            concurrencies.map((c) => ({ concurrency: c, cpuTotal: perOperation + perChunk / c })),
          );
          expect(fit!.perOperation).toBeCloseTo(perOperation, 6);
          expect(fit!.perChunk).toBeCloseTo(perChunk, 4);
        },
      ),
    );
  });

  it('fits the line through noisy points, not one of them', () => {
    const fit = cpuCostFit([
      { concurrency: 32, cpuTotal: 15.76 },
      { concurrency: 64, cpuTotal: 10.2 },
      { concurrency: 96, cpuTotal: 8.07 },
      { concurrency: 128, cpuTotal: 7.9 },
    ])!;
    expect(fit.perOperation).toBeGreaterThan(3);
    expect(fit.perOperation).toBeLessThan(6);
    expect(fit.perChunk).toBeGreaterThan(300);
  });

  it('gives no fit when the points contradict the model', () => {
    // Two points on a busy host (the 06:30 run): the cheaper point is the less batched one.
    expect(
      cpuCostFit([
        { concurrency: 64, cpuTotal: 6.3 },
        { concurrency: 96, cpuTotal: 3.88 },
      ]),
    ).toBeUndefined();
    expect(
      cpuCostFit([
        { concurrency: 64, cpuTotal: 3.5 },
        { concurrency: 96, cpuTotal: 3.9 },
      ]),
    ).toBeUndefined();
  });

  it('needs two distinct concurrencies', () => {
    expect(cpuCostFit([])).toBeUndefined();
    expect(
      cpuCostFit([
        { concurrency: 96, cpuTotal: 8 },
        { concurrency: 96, cpuTotal: 9 },
      ]),
    ).toBeUndefined();
  });
});
