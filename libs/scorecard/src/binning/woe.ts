/** Goods and bads falling in one bin. */
export interface BinCounts {
  goods: number;
  bads: number;
}

/**
 * Weight of evidence of a bin: ln((goods_i / G) / (bads_i / B)), positive where the bin is safer than
 * average. A bin with no goods or no bads would be infinite, so such a cell gets half an observation
 * (the usual 0.5 adjustment); the binning merges such bins away, so the adjustment is a last resort.
 */
export function weightOfEvidence(bin: BinCounts, totalGoods: number, totalBads: number): number {
  const zero = bin.goods === 0 || bin.bads === 0;
  const g = zero ? bin.goods + 0.5 : bin.goods;
  const b = zero ? bin.bads + 0.5 : bin.bads;
  return Math.log(g / totalGoods / (b / totalBads));
}

/** Information value of a set of bins: Σ (goods_i/G − bads_i/B) · WoE_i. */
export function informationValue(bins: readonly BinCounts[]): number {
  let totalGoods = 0;
  let totalBads = 0;
  for (const b of bins) {
    totalGoods += b.goods;
    totalBads += b.bads;
  }
  if (totalGoods === 0 || totalBads === 0) return 0;
  let iv = 0;
  for (const b of bins)
    iv += (b.goods / totalGoods - b.bads / totalBads) * weightOfEvidence(b, totalGoods, totalBads);
  return iv;
}

export function badRate(bin: BinCounts): number {
  const n = bin.goods + bin.bads;
  return n === 0 ? 0 : bin.bads / n;
}
