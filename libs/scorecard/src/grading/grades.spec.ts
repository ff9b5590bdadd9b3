import fc from 'fast-check';
import { DEFAULT_GRADES, gradeOf, validateGrades } from './grades';

describe('grades', () => {
  it('maps PD to the documented bands and sub-grades', () => {
    expect(gradeOf(0)).toEqual({ grade: 'A', subGrade: 'A1' });
    expect(gradeOf(0.0039)).toEqual({ grade: 'A', subGrade: 'A1' });
    expect(gradeOf(0.004)).toEqual({ grade: 'A', subGrade: 'A2' });
    expect(gradeOf(0.0199)).toEqual({ grade: 'A', subGrade: 'A5' });
    expect(gradeOf(0.02)).toEqual({ grade: 'B', subGrade: 'B1' });
    expect(gradeOf(0.15)).toEqual({ grade: 'D', subGrade: 'D3' }); // D is [10%, 20%), 2% per sub-grade
    expect(gradeOf(0.3)).toEqual({ grade: 'E', subGrade: 'E4' }); // E is [20%, 35%), 3% per sub-grade
    expect(gradeOf(1)).toEqual({ grade: 'G', subGrade: 'G5' });
  });

  it('never improves as PD rises', () => {
    const rank = (s: string) => (s.charCodeAt(0) - 65) * 5 + Number(s.slice(1));
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(rank(gradeOf(lo).subGrade)).toBeLessThanOrEqual(rank(gradeOf(hi).subGrade));
        },
      ),
    );
  });

  it('refuses a PD outside [0, 1] and malformed bands', () => {
    expect(() => gradeOf(1.2)).toThrow(/PD must be in \[0, 1\]/);
    expect(() => gradeOf(Number.NaN)).toThrow(/INVALID_VALUE/);
    expect(() => validateGrades([{ grade: 'A', upperPd: 0.5 }])).toThrow(/last band must end at PD 1/);
    expect(validateGrades(DEFAULT_GRADES)).toBe(DEFAULT_GRADES);
  });
});
