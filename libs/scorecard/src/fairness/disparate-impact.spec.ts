import { disparateImpactReport } from './disparate-impact';
import type { Dataset } from '../dataset/dataset';

describe('disparate impact report', () => {
  it('hand example: approval 3/4 for group a, 1/2 for group b -> ratio 2/3, fails four-fifths', () => {
    const dataset: Dataset = {
      attributes: [{ name: 'x', type: 'numeric' }],
      rows: ['a', 'a', 'a', 'a', 'b', 'b', null].map((g) => ({ x: 1, grp: g })),
      bad: [0, 0, 1, 0, 1, 0, 0],
      fairness: [{ name: 'group', column: 'grp', groupOf: (v) => (typeof v === 'string' ? v : null) }],
      source: { format: 'csv', sha256: '', target: 't', badValue: '1' },
    };
    // a: PDs 0.1, 0.2, 0.5, 0.1 -> 3 of 4 approved at cut-off 0.3; b: 0.6, 0.2 -> 1 of 2; the null row is skipped.
    const report = disparateImpactReport(dataset, [0.1, 0.2, 0.5, 0.1, 0.6, 0.2, 0.9], 0.3, 'test');
    const dim = report.dimensions[0]!;
    expect(dim.groups).toEqual([
      { group: 'a', count: 4, approved: 3, approvalRate: 0.75, badRate: 0.25 },
      { group: 'b', count: 2, approved: 1, approvalRate: 0.5, badRate: 0.5 },
    ]);
    expect(dim.referenceGroup).toBe('a');
    expect(dim.disparateImpactRatio).toBeCloseTo(2 / 3, 12);
    expect(dim.passesFourFifthsRule).toBe(false);
  });
});
