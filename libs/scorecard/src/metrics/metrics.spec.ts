import fc from 'fast-check';
import { auc, gini } from './auc';
import { ks } from './ks';
import { bucketShares, psi, psiFromShares, quantileEdges } from './psi';
import { confusionAtCutoff, costOptimalCutoff } from './confusion';
import { calibrationTable } from './calibration';
import { ScorecardError } from '../errors';

/** Random samples with both classes present and distinct scores. */
const labelledSample = fc
  .array(fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.boolean()), {
    minLength: 2,
    maxLength: 60,
  })
  .map((rows) => {
    const seen = new Set<number>();
    return rows.filter(([s]) => (seen.has(s) ? false : (seen.add(s), true)));
  })
  .filter((rows) => rows.some(([, b]) => b) && rows.some(([, b]) => !b))
  .map((rows) => ({ scores: rows.map(([s]) => s / 1000), bad: rows.map(([, b]) => (b ? 1 : 0)) }));

describe('auc (hand examples)', () => {
  it('counts pairs: scores [0.1, 0.4, 0.35, 0.8], bad [0, 0, 1, 1]', () => {
    // Bad 0.35 beats good 0.1 and loses to good 0.4; bad 0.8 beats both: 3 of 4 pairs -> 0.75.
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(gini(0.75)).toBeCloseTo(0.5, 12);
  });

  it('counts ties as half: scores [0.2, 0.2, 0.5, 0.1], bad [1, 0, 1, 0]', () => {
    // Pairs (bad, good): (0.2, 0.2) tie 0.5, (0.2, 0.1) 1, (0.5, 0.2) 1, (0.5, 0.1) 1 -> 3.5 / 4 = 0.875.
    expect(auc([0.2, 0.2, 0.5, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.875, 12);
  });

  it('refuses a sample with one class only, naming the counts', () => {
    expect(() => auc([0.1, 0.2], [0, 0])).toThrow(
      /EMPTY_SAMPLE: auc: needs at least one good and one bad outcome \(got 2 good, 0 bad\)/,
    );
    expect(() => auc([0.1, 0.2], [0, 2])).toThrow(ScorecardError);
    expect(() => auc([0.1], [0, 1])).toThrow(/1 scores but 2 outcomes/);
  });
});

describe('auc (properties)', () => {
  it('is 1 for a perfect ranking and 0 for its reverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (goods, bads) => {
        const scores = Array.from({ length: goods + bads }, (_, i) => i);
        const bad = scores.map((i) => (i >= goods ? 1 : 0));
        expect(auc(scores, bad)).toBe(1);
        expect(
          auc(
            scores.map((s) => -s),
            bad,
          ),
        ).toBe(0);
      }),
    );
  });

  it('is invariant under strictly increasing transforms and complements under reversal', () => {
    fc.assert(
      fc.property(labelledSample, ({ scores, bad }) => {
        const a = auc(scores, bad);
        expect(
          auc(
            scores.map((s) => 3 * s + 7),
            bad,
          ),
        ).toBeCloseTo(a, 12);
        expect(
          auc(
            scores.map((s) => Math.atan(s)),
            bad,
          ),
        ).toBeCloseTo(a, 12);
        expect(
          auc(
            scores.map((s) => -s),
            bad,
          ),
        ).toBeCloseTo(1 - a, 12);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('ks', () => {
  it('hand example: scores 1..6, bad [0, 0, 1, 0, 1, 1]', () => {
    // Cumulative good / bad shares at s = 1..6: (1/3, 0) (2/3, 0) (2/3, 1/3) (1, 1/3) (1, 2/3) (1, 1).
    // Largest gap 2/3, first reached at s = 2.
    expect(ks([1, 2, 3, 4, 5, 6], [0, 0, 1, 0, 1, 1])).toEqual({
      ks: expect.closeTo(2 / 3, 12),
      threshold: 2,
    });
  });

  it('is 1 for perfect separation and invariant under monotone transforms', () => {
    fc.assert(
      fc.property(labelledSample, ({ scores, bad }) => {
        const k = ks(scores, bad).ks;
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThanOrEqual(1);
        expect(
          ks(
            scores.map((s) => Math.exp(s / 1000)),
            bad,
          ).ks,
        ).toBeCloseTo(k, 12);
        const sorted = [...bad].sort();
        expect(
          ks(
            sorted.map((_, i) => i),
            sorted,
          ).ks,
        ).toBe(1);
      }),
    );
  });
});

describe('psi', () => {
  it('hand example from shares: [0.25, 0.25, 0.5] vs [0.5, 0.25, 0.25]', () => {
    // 0.25·ln(2) + 0 + (−0.25)·ln(0.5) = 0.5·ln 2 = 0.346573590...
    expect(psiFromShares([0.25, 0.25, 0.5], [0.5, 0.25, 0.25])).toBeCloseTo(0.5 * Math.LN2, 12);
    expect(psiFromShares([0.25, 0.25, 0.5], [0.5, 0.25, 0.25])).toBeCloseTo(0.34657359, 8);
  });

  it('hand example from samples: expected [1, 2, 3, 4], actual [1, 1, 1, 4], two buckets', () => {
    // Median edge 2: expected shares (0.5, 0.5), actual (0.75, 0.25).
    // 0.25·ln(1.5) + (−0.25)·ln(0.5) = 0.101366 + 0.173287 = 0.274653.
    expect(quantileEdges([1, 2, 3, 4], 2)).toEqual([2]);
    expect(bucketShares([1, 1, 1, 4], [2])).toEqual([0.75, 0.25]);
    expect(psi([1, 2, 3, 4], [1, 1, 1, 4], 2)).toBeCloseTo(0.274653, 6);
  });

  it('is 0 for identical samples and never negative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (a, b) => {
          expect(psi(a, [...a].reverse())).toBe(0);
          expect(psi(a, b)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('refuses empty samples and mismatched shares', () => {
    expect(() => psi([], [1])).toThrow(/EMPTY_SAMPLE: psi: the expected sample is empty/);
    expect(() => psiFromShares([1], [0.5, 0.5])).toThrow(/INVALID_DATA/);
  });
});

describe('confusion at a cut-off with a cost matrix', () => {
  it('hand example: cut-off 0.15, costs 5 (bad approved) and 1 (good refused)', () => {
    // Refused (pd > 0.15): 0.3 bad, 0.5 bad, 0.2 good. Approved: 0.1 good, 0.05 good, 0.12 bad.
    // Cost = 1 bad approved · 5 + 1 good refused · 1 = 6, i.e. 1 per applicant.
    const t = confusionAtCutoff([0.1, 0.3, 0.05, 0.5, 0.2, 0.12], [0, 1, 0, 1, 0, 1], 0.15);
    expect(t).toMatchObject({
      badRejected: 2,
      badApproved: 1,
      goodRejected: 1,
      goodApproved: 2,
      totalCost: 6,
      costPerApplicant: 1,
      approvalRate: 0.5,
    });
    expect(t.approvedBadRate).toBeCloseTo(1 / 3, 12);
  });

  it('puts the cost-optimal cut-off at goodRejected / (goodRejected + badApproved)', () => {
    expect(costOptimalCutoff()).toBeCloseTo(1 / 6, 12);
    expect(costOptimalCutoff({ badApproved: 3, goodRejected: 1 })).toBeCloseTo(0.25, 12);
  });
});

describe('calibration table', () => {
  it('hand example: two equal-count buckets', () => {
    expect(calibrationTable([0.4, 0.1, 0.3, 0.2], [1, 0, 1, 0], 2)).toEqual([
      { pdFrom: 0.1, pdTo: 0.2, count: 2, meanPd: expect.closeTo(0.15, 12), observedBadRate: 0, bads: 0 },
      { pdFrom: 0.3, pdTo: 0.4, count: 2, meanPd: expect.closeTo(0.35, 12), observedBadRate: 1, bads: 2 },
    ]);
  });
});
