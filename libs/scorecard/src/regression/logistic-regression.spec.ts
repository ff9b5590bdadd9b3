import fc from 'fast-check';
import { fitLogistic, sigmoid, solveSpd } from './logistic-regression';

describe('logistic regression', () => {
  it('hand example: one binary feature, no penalty, recovers the group log-odds', () => {
    // x = 0: 3 bads of 4 -> log-odds ln 3; x = 1: 1 bad of 4 -> ln(1/3).
    // So intercept = ln 3 = 1.098612 and slope = ln(1/3) − ln 3 = −2.197225.
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 1, 1, 0, 1, 0, 0, 0];
    const fit = fitLogistic(x, y, { l2: 0, maxIterations: 50, tolerance: 1e-12 });
    expect(fit.intercept).toBeCloseTo(Math.log(3), 8);
    expect(fit.coefficients[0]).toBeCloseTo(-2 * Math.log(3), 8);
  });

  it('shrinks coefficients towards zero as the L2 penalty grows', () => {
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 1, 1, 0, 1, 0, 0, 0];
    const slopes = [0, 1, 10, 100].map((l2) =>
      Math.abs(fitLogistic(x, y, { l2, maxIterations: 50, tolerance: 1e-12 }).coefficients[0]!),
    );
    for (let i = 1; i < slopes.length; i++) expect(slopes[i]).toBeLessThan(slopes[i - 1]!);
  });

  it('refuses separable data without a penalty instead of returning a runaway fit', () => {
    expect(() =>
      fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 0, maxIterations: 30, tolerance: 1e-12 }),
    ).toThrow(/NOT_CONVERGED/);
  });

  it('at the solution the penalised score equations hold (gradient ~ 0)', () => {
    fc.assert(
      fc.property(
        fc
          .array(
            fc.tuple(
              fc.double({ min: -3, max: 3, noNaN: true }),
              fc.double({ min: -3, max: 3, noNaN: true }),
              fc.boolean(),
            ),
            { minLength: 10, maxLength: 80 },
          )
          .filter((r) => r.some((t) => t[2]) && r.some((t) => !t[2])),
        (rows) => {
          const x = rows.map(([a, b]) => [a, b]);
          const y = rows.map(([, , bad]) => (bad ? 1 : 0));
          const fit = fitLogistic(x, y, { l2: 1, maxIterations: 100, tolerance: 1e-10 });
          const grad = [0, 0, 0];
          x.forEach((row, i) => {
            const r =
              y[i]! -
              sigmoid(fit.intercept + fit.coefficients[0]! * row[0]! + fit.coefficients[1]! * row[1]!);
            grad[0]! += r;
            grad[1]! += r * row[0]!;
            grad[2]! += r * row[1]!;
          });
          expect(Math.abs(grad[0]!)).toBeLessThan(1e-6);
          expect(Math.abs(grad[1]! - fit.coefficients[0]!)).toBeLessThan(1e-6);
          expect(Math.abs(grad[2]! - fit.coefficients[1]!)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('solves a hand 2x2 system', () => {
    // [[4, 2], [2, 3]]·x = [2, 1] -> x = [0.5, 0].
    expect(
      solveSpd(
        [
          [4, 2],
          [2, 3],
        ],
        [2, 1],
      ).map((v) => Number(v.toFixed(12))),
    ).toEqual([0.5, 0]);
  });

  it('refuses bad inputs', () => {
    expect(() => fitLogistic([], [])).toThrow(/INVALID_DATA/);
    expect(() => fitLogistic([[1], [Number.NaN]], [0, 1])).toThrow(/finite values/);
    expect(() => fitLogistic([[1], [2]], [0, 0])).toThrow(/EMPTY_SAMPLE/);
  });
});
