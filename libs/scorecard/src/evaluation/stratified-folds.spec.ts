import fc from 'fast-check';
import { stratifiedFolds } from './stratified-folds';

describe('stratified folds', () => {
  it('balances goods and bads across folds and is reproducible from the seed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 20, maxLength: 300 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer(),
        (flags, k, seed) => {
          const bad = flags.map((f) => (f ? 1 : 0));
          const nb = bad.filter((b) => b === 1).length;
          fc.pre(nb >= k && bad.length - nb >= k);
          const folds = stratifiedFolds(bad, k, seed);
          expect(stratifiedFolds(bad, k, seed)).toEqual(folds);
          for (const cls of [0, 1]) {
            const counts = Array.from(
              { length: k },
              (_, f) => folds.filter((x, i) => x === f && bad[i] === cls).length,
            );
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('refuses too few folds or too few of a class', () => {
    expect(() => stratifiedFolds([0, 1, 0, 1], 1, 1)).toThrow(/folds must be an integer >= 2, got 1/);
    expect(() => stratifiedFolds([0, 0, 0, 1], 2, 1)).toThrow(
      /2 folds need at least 2 goods and 2 bads \(have 3 and 1\)/,
    );
  });
});
