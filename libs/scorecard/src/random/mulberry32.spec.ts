import fc from 'fast-check';
import { mulberry32, shuffled } from './mulberry32';

describe('mulberry32', () => {
  it('matches the reference sequence for seed 1', () => {
    // Reference values from the published mulberry32 C/JS implementation, seed = 1.
    const next = mulberry32(1);
    expect(next()).toBeCloseTo(0.6270739405881613, 15);
    expect(next()).toBeCloseTo(0.002735721180215478, 15);
    expect(next()).toBeCloseTo(0.5274470399599522, 15);
  });

  it('is deterministic per seed and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBe(b());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('shuffles into a permutation of the input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (xs, seed) => {
        const out = shuffled(xs, mulberry32(seed));
        expect([...out].sort((p, q) => p - q)).toEqual([...xs].sort((p, q) => p - q));
      }),
    );
  });
});
