import fc from 'fast-check';
import { binAttribute, binIndexOf, type AttributeValue } from './attribute-binning';
import { informationValue, weightOfEvidence } from './woe';

/** Expands (value, goods, bads) triples into one row per applicant. */
function rows(spec: [AttributeValue, number, number][]): { values: AttributeValue[]; bad: number[] } {
  const values: AttributeValue[] = [];
  const bad: number[] = [];
  for (const [v, g, b] of spec) {
    for (let i = 0; i < g + b; i++) {
      values.push(v);
      bad.push(i < g ? 0 : 1);
    }
  }
  return { values, bad };
}

describe('weight of evidence and information value (hand examples)', () => {
  it('two bins: (60 goods, 10 bads) and (40 goods, 40 bads)', () => {
    // G = 100, B = 50. WoE1 = ln((60/100) / (10/50)) = ln 3 = 1.098612; WoE2 = ln(0.4 / 0.8) = −ln 2 = −0.693147.
    // IV = (0.6 − 0.2)·ln 3 + (0.4 − 0.8)·(−ln 2) = 0.439445 + 0.277259 = 0.716704.
    expect(weightOfEvidence({ goods: 60, bads: 10 }, 100, 50)).toBeCloseTo(1.098612, 6);
    expect(weightOfEvidence({ goods: 40, bads: 40 }, 100, 50)).toBeCloseTo(-0.693147, 6);
    expect(
      informationValue([
        { goods: 60, bads: 10 },
        { goods: 40, bads: 40 },
      ]),
    ).toBeCloseTo(0.716704, 6);
  });

  it('uses the 0.5 adjustment only for an empty cell', () => {
    // ln(((10 + 0.5)/100) / ((0 + 0.5)/50)) = ln(0.105 / 0.01) = ln 10.5 = 2.351375.
    expect(weightOfEvidence({ goods: 10, bads: 0 }, 100, 50)).toBeCloseTo(2.351375, 6);
  });

  it('categorical grouping reproduces the same hand values', () => {
    const { values, bad } = rows([
      ['b', 40, 40],
      ['a', 60, 10],
    ]);
    const binning = binAttribute('x', 'categorical', values, bad);
    expect(binning.bins.map((b) => [b.label, b.goods, b.bads])).toEqual([
      ['a', 60, 10],
      ['b', 40, 40],
    ]);
    expect(binning.bins[0]!.woe).toBeCloseTo(Math.log(3), 12);
    expect(binning.bins[1]!.woe).toBeCloseTo(-Math.log(2), 12);
    expect(binning.iv).toBeCloseTo(0.716704, 6);
  });
});

describe('monotonic numeric binning (hand example)', () => {
  it('pools adjacent violators: bad rates 1/4, 2/4, 1/4, 3/4, 2/4, 3/4 for x = 1..6', () => {
    // Increasing pooling merges {2,3} (3/8) and {4,5} (5/8): bins (3,1) (5,3) (3,5) (1,3), G = B = 12.
    // WoE = ln 3, ln 5/3, ln 3/5, ln 1/3; IV = (2/12)·2·(ln 3 + ln 5/3) = ln 5 / 3 = 0.536479.
    // Decreasing pooling collapses everything into one bin (IV 0), so the increasing direction wins.
    const { values, bad } = rows([
      [1, 3, 1],
      [2, 2, 2],
      [3, 3, 1],
      [4, 1, 3],
      [5, 2, 2],
      [6, 1, 3],
    ]);
    const binning = binAttribute('x', 'numeric', values, bad, { minBinShare: 0.1, maxBins: 8, fineBins: 6 });
    expect(binning.bins.map((b) => [b.label, b.goods, b.bads])).toEqual([
      ['<= 1', 3, 1],
      ['(1, 3]', 5, 3],
      ['(3, 5]', 3, 5],
      ['> 5', 1, 3],
    ]);
    expect(binning.bins.map((b) => b.woe)).toEqual(
      [Math.log(3), Math.log(5 / 3), Math.log(3 / 5), Math.log(1 / 3)].map((w) => expect.closeTo(w, 12)),
    );
    expect(binning.iv).toBeCloseTo(Math.log(5) / 3, 12);
    expect(binIndexOf(binning, 0.5)).toBe(0);
    expect(binIndexOf(binning, 3)).toBe(1);
    expect(binIndexOf(binning, 3.5)).toBe(2);
    expect(binIndexOf(binning, 1e9)).toBe(3);
  });
});

describe('numeric binning (properties)', () => {
  const sample = fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.boolean()), {
    minLength: 20,
    maxLength: 400,
  });

  it('WoE is strictly monotonic across the range bins and every bin meets the minimum size', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0.01, max: 0.2, noNaN: true }), (data, share) => {
        const binning = binAttribute(
          'x',
          'numeric',
          data.map(([v]) => v),
          data.map(([, b]) => (b ? 1 : 0)),
          { minBinShare: share, maxBins: 8, fineBins: 20 },
        );
        const woes = binning.bins.map((b) => b.woe);
        const up = woes.every((w, i) => i === 0 || w > woes[i - 1]!);
        const down = woes.every((w, i) => i === 0 || w < woes[i - 1]!);
        expect(up || down).toBe(true);
        expect(binning.bins.length).toBeLessThanOrEqual(8);
        if (binning.bins.length > 1) {
          const minCount = Math.ceil(share * data.length);
          for (const b of binning.bins) {
            expect(b.goods + b.bads).toBeGreaterThanOrEqual(minCount);
            expect(b.goods).toBeGreaterThan(0);
            expect(b.bads).toBeGreaterThan(0);
          }
        }
        // Every training value lands, through binIndexOf, in the bin that counted it: per bin, the goods and
        // bads of the values it receives are exactly the bin's counts.
        expect(binning.bins.reduce((s, b) => s + b.goods + b.bads, 0)).toBe(data.length);
        const received = binning.bins.map(() => ({ goods: 0, bads: 0 }));
        for (const [v, isBad] of data) {
          const r = received[binIndexOf(binning, v)]!;
          if (isBad) r.bads++;
          else r.goods++;
        }
        expect(received).toEqual(binning.bins.map((b) => ({ goods: b.goods, bads: b.bads })));
      }),
    );
  });
});

describe('missing values', () => {
  it('gets its own bin when there are enough of them', () => {
    const { values, bad } = rows([
      ['a', 50, 10],
      ['b', 30, 30],
      [null, 10, 20],
    ]);
    const binning = binAttribute('x', 'categorical', values, bad);
    expect(binning.bins[binning.missingBin!]!).toMatchObject({ kind: 'missing', goods: 10, bads: 20 });
    expect(binIndexOf(binning, null)).toBe(binning.missingBin);
  });

  it('joins the closest-risk bin when rare, and is refused when never seen', () => {
    const rare = rows([
      ['a', 50, 10],
      ['b', 30, 30],
      [null, 1, 1],
    ]);
    const binning = binAttribute('x', 'categorical', rare.values, rare.bad);
    expect(binning.bins[binning.missingBin!]!.label).toBe('b or missing');
    const none = rows([
      ['a', 50, 10],
      ['b', 30, 30],
    ]);
    expect(() => binIndexOf(binAttribute('x', 'categorical', none.values, none.bad), null)).toThrow(
      /MISSING_VALUE: attribute "x" is required/,
    );
  });

  it('refuses wrong types and unknown categories with the allowed values', () => {
    const { values, bad } = rows([
      ['a', 50, 10],
      ['b', 30, 30],
    ]);
    const cat = binAttribute('purpose', 'categorical', values, bad);
    expect(() => binIndexOf(cat, 'zzz')).toThrow(
      'UNKNOWN_CATEGORY: attribute "purpose" has no category "zzz"; known: a, b',
    );
    expect(() => binIndexOf(cat, 3)).toThrow(
      /INVALID_VALUE: attribute "purpose" is categorical and must be a string/,
    );
    const num = binAttribute('n', 'numeric', [1, 2, 3, 4], [0, 1, 0, 1]);
    expect(() => binIndexOf(num, Number.NaN)).toThrow(/INVALID_VALUE: attribute "n" must be a finite number/);
    expect(() => binIndexOf(num, '3')).toThrow(/INVALID_VALUE/);
  });
});
