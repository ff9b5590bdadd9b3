import fc from 'fast-check';
import {
  DEFAULT_SCALING,
  rawScore,
  scaledScore,
  scalingFactor,
  scalingOffset,
  validateScaling,
} from './points-scaling';

describe('points scaling', () => {
  it('hand example: 600 at 50:1, 20 points to double the odds', () => {
    // factor = 20 / ln 2 = 28.853901; offset = 600 − 28.853901 · ln 50 = 600 − 112.877124 = 487.122876.
    const s = { baseScore: 600, baseOdds: 50, pdo: 20, minScore: 0, maxScore: 1000 };
    expect(scalingFactor(s)).toBeCloseTo(28.853901, 6);
    expect(scalingOffset(s)).toBeCloseTo(487.122876, 5);
    expect(rawScore(-Math.log(50), s)).toBeCloseTo(600, 9); // odds good:bad 50 -> log-odds bad −ln 50
    expect(rawScore(-Math.log(100), s)).toBeCloseTo(620, 9); // doubling the odds adds pdo
  });

  it('default: 30:1 -> 660, PD 30% -> 512, clamped to 300..850', () => {
    // PD 0.3: log-odds bad = ln(0.3/0.7) = −0.847298; 660 + 57.707802·(0.847298 − ln 30) = 512.61 -> 513.
    expect(scaledScore(-Math.log(30), DEFAULT_SCALING)).toBe(660);
    expect(scaledScore(Math.log(0.3 / 0.7), DEFAULT_SCALING)).toBe(513);
    expect(scaledScore(50, DEFAULT_SCALING)).toBe(300);
    expect(scaledScore(-50, DEFAULT_SCALING)).toBe(850);
  });

  it('is non-increasing in the log-odds of bad', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (z, d) => {
          expect(scaledScore(z + d, DEFAULT_SCALING)).toBeLessThanOrEqual(scaledScore(z, DEFAULT_SCALING));
        },
      ),
    );
  });

  it('refuses impossible configurations', () => {
    expect(() => validateScaling({ ...DEFAULT_SCALING, pdo: 0 })).toThrow(
      /points-to-double-odds must be > 0/,
    );
    expect(() => validateScaling({ ...DEFAULT_SCALING, baseOdds: -1 })).toThrow(/base odds/);
    expect(() => validateScaling({ ...DEFAULT_SCALING, minScore: 900 })).toThrow(
      /minScore 900 must be below maxScore 850/,
    );
  });
});
