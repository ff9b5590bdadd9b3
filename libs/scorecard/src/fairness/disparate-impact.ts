import type { Dataset } from '../dataset/dataset';
import { ScorecardError } from '../errors';

export interface FairnessGroup {
  group: string;
  count: number;
  approved: number;
  approvalRate: number;
  /** Observed bad rate of the group, for context: a gap in approvals may follow a gap in outcomes. */
  badRate: number;
}

export interface FairnessDimensionReport {
  dimension: string;
  column: string;
  groups: FairnessGroup[];
  /** The group approved most often, against which the others are compared. */
  referenceGroup: string;
  /** Lowest approval rate over highest; below 0.8 fails the four-fifths rule of thumb. */
  disparateImpactRatio: number;
  passesFourFifthsRule: boolean;
}

export interface FairnessReport {
  cutoffPd: number;
  basis: string;
  dimensions: FairnessDimensionReport[];
}

function rank(order: readonly string[] | undefined, group: string): number {
  const i = order ? order.indexOf(group) : -1;
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/**
 * Approval rates by protected group at a PD cut-off (approved when pd <= cutoff). The protected columns
 * are read here only to group applicants for the report; the model never sees them.
 */
export function disparateImpactReport(
  dataset: Dataset,
  pd: readonly number[],
  cutoffPd: number,
  basis: string,
): FairnessReport {
  if (pd.length !== dataset.rows.length) {
    throw new ScorecardError('INVALID_DATA', `fairness: ${pd.length} PDs for ${dataset.rows.length} rows`);
  }
  const dimensions = dataset.fairness.map((dim) => {
    const acc = new Map<string, { count: number; approved: number; bads: number }>();
    dataset.rows.forEach((row, i) => {
      const group = dim.groupOf(row[dim.column] ?? null);
      if (group === null) return;
      const a = acc.get(group) ?? { count: 0, approved: 0, bads: 0 };
      a.count++;
      if (pd[i] <= cutoffPd) a.approved++;
      a.bads += dataset.bad[i];
      acc.set(group, a);
    });
    const groups: FairnessGroup[] = [...acc.entries()]
      .sort(([a], [b]) => rank(dim.order, a) - rank(dim.order, b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, a]) => ({
        group,
        count: a.count,
        approved: a.approved,
        approvalRate: a.approved / a.count,
        badRate: a.bads / a.count,
      }));
    if (groups.length === 0) {
      return {
        dimension: dim.name,
        column: dim.column,
        groups,
        referenceGroup: '',
        disparateImpactRatio: 1,
        passesFourFifthsRule: true,
      };
    }
    const best = groups.reduce((m, g) => (g.approvalRate > m.approvalRate ? g : m));
    const worst = groups.reduce((m, g) => (g.approvalRate < m.approvalRate ? g : m));
    const ratio = best.approvalRate === 0 ? 1 : worst.approvalRate / best.approvalRate;
    return {
      dimension: dim.name,
      column: dim.column,
      groups,
      referenceGroup: best.group,
      disparateImpactRatio: ratio,
      passesFourFifthsRule: ratio >= 0.8,
    };
  });
  return { cutoffPd, basis, dimensions };
}
