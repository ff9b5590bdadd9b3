import { ScorecardError } from '../errors';

/** What each wrong decision costs; the German credit default: approving a bad costs 5, refusing a good 1. */
export interface CostMatrix {
  badApproved: number;
  goodRejected: number;
}

export const DEFAULT_COST_MATRIX: CostMatrix = { badApproved: 5, goodRejected: 1 };

/** The PD above which refusing is cheaper in expectation: reject when pd·badApproved > (1 − pd)·goodRejected. */
export function costOptimalCutoff(costs: CostMatrix = DEFAULT_COST_MATRIX): number {
  return costs.goodRejected / (costs.goodRejected + costs.badApproved);
}

export interface ConfusionTable {
  cutoff: number;
  /** Bads refused (true positives when "bad" is the positive class). */
  badRejected: number;
  badApproved: number;
  goodRejected: number;
  goodApproved: number;
  approvalRate: number;
  /** Of the approved, the share that went bad. */
  approvedBadRate: number;
  costs: CostMatrix;
  totalCost: number;
  costPerApplicant: number;
}

/** Decision table at a PD cut-off: an applicant is refused when pd > cutoff. */
export function confusionAtCutoff(
  pd: ArrayLike<number>,
  bad: ArrayLike<number>,
  cutoff: number,
  costs: CostMatrix = DEFAULT_COST_MATRIX,
): ConfusionTable {
  if (pd.length !== bad.length || pd.length === 0) {
    throw new ScorecardError(
      'INVALID_DATA',
      `confusion: ${pd.length} PDs and ${bad.length} outcomes; need one outcome per PD and at least one`,
    );
  }
  let badRejected = 0;
  let badApproved = 0;
  let goodRejected = 0;
  let goodApproved = 0;
  for (let i = 0; i < pd.length; i++) {
    const rejected = pd[i] > cutoff;
    if (bad[i] === 1) {
      if (rejected) badRejected++;
      else badApproved++;
    } else if (rejected) goodRejected++;
    else goodApproved++;
  }
  const approved = badApproved + goodApproved;
  const totalCost = badApproved * costs.badApproved + goodRejected * costs.goodRejected;
  return {
    cutoff,
    badRejected,
    badApproved,
    goodRejected,
    goodApproved,
    approvalRate: approved / pd.length,
    approvedBadRate: approved === 0 ? 0 : badApproved / approved,
    costs,
    totalCost,
    costPerApplicant: totalCost / pd.length,
  };
}
