import { assertBinarySample } from './validate-sample';

/**
 * Area under the ROC curve by the Mann–Whitney rank sum, ties counted half: the probability that a
 * random bad outcome has a higher score (higher = riskier, e.g. PD) than a random good one.
 */
export function auc(scores: ArrayLike<number>, bad: ArrayLike<number>): number {
  const { bads, goods } = assertBinarySample(scores, bad, 'auc');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumBad = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const averageRank = (i + j + 2) / 2; // 1-based ranks i+1..j+1
    for (let k = i; k <= j; k++) if (bad[order[k]] === 1) rankSumBad += averageRank;
    i = j + 1;
  }
  return (rankSumBad - (bads * (bads + 1)) / 2) / (bads * goods);
}

/** Gini (accuracy ratio) = 2·AUC − 1. */
export function gini(aucValue: number): number {
  return 2 * aucValue - 1;
}
