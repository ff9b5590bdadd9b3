import { ScorecardError } from '../errors';

/**
 * Default grade mapping from PD. Each grade covers a PD band (upper bound exclusive) and is cut into five
 * sub-grades of equal PD width, 1 the safest:
 *   A [0%, 2%)  B [2%, 5%)  C [5%, 10%)  D [10%, 20%)  E [20%, 35%)  F [35%, 55%)  G [55%, 100%]
 * e.g. A1 = [0, 0.4%), A5 = [1.6%, 2%), D3 = [14%, 16%).
 */
export interface GradeBand {
  grade: string;
  /** Exclusive upper PD bound; the last band includes PD = 1. */
  upperPd: number;
}

export const DEFAULT_GRADES: GradeBand[] = [
  { grade: 'A', upperPd: 0.02 },
  { grade: 'B', upperPd: 0.05 },
  { grade: 'C', upperPd: 0.1 },
  { grade: 'D', upperPd: 0.2 },
  { grade: 'E', upperPd: 0.35 },
  { grade: 'F', upperPd: 0.55 },
  { grade: 'G', upperPd: 1 },
];

export const SUB_GRADES_PER_GRADE = 5;

export function validateGrades(bands: readonly GradeBand[]): readonly GradeBand[] {
  if (bands.length === 0 || bands[bands.length - 1].upperPd !== 1) {
    throw new ScorecardError('INVALID_OPTION', 'grades: the last band must end at PD 1');
  }
  bands.forEach((b, i) => {
    if (!(b.upperPd > (i === 0 ? 0 : bands[i - 1].upperPd)))
      throw new ScorecardError('INVALID_OPTION', `grades: band ${b.grade} must end above the previous band`);
  });
  return bands;
}

export function gradeOf(
  pd: number,
  bands: readonly GradeBand[] = DEFAULT_GRADES,
): { grade: string; subGrade: string } {
  if (!(pd >= 0 && pd <= 1))
    throw new ScorecardError('INVALID_VALUE', `grade: PD must be in [0, 1], got ${pd}`);
  let lower = 0;
  for (let i = 0; i < bands.length; i++) {
    const band = bands[i];
    const last = i === bands.length - 1;
    if (pd < band.upperPd || last) {
      const width = (band.upperPd - lower) / SUB_GRADES_PER_GRADE;
      const sub = Math.min(SUB_GRADES_PER_GRADE, Math.floor((pd - lower) / width) + 1);
      return { grade: band.grade, subGrade: `${band.grade}${sub}` };
    }
    lower = band.upperPd;
  }
  throw new ScorecardError('INVALID_MODEL', 'grade: no band covers the PD');
}
