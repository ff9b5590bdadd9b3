import { ScorecardError } from '../errors';
import { binCategorical } from './categorical-binning';
import { binNumeric } from './numeric-binning';
import { badRate, informationValue, weightOfEvidence } from './woe';

export type AttributeValue = number | string | null;
export type AttributeType = 'numeric' | 'categorical';

interface BinBase {
  label: string;
  goods: number;
  bads: number;
  woe: number;
}
export interface RangeBin extends BinBase {
  kind: 'range';
  /** Inclusive upper bound; null = open-ended last bin. */
  upper: number | null;
}
export interface CategoriesBin extends BinBase {
  kind: 'categories';
  categories: string[];
}
export interface MissingBin extends BinBase {
  kind: 'missing';
}
export type Bin = RangeBin | CategoriesBin | MissingBin;

export interface AttributeBinning {
  attribute: string;
  type: AttributeType;
  bins: Bin[];
  /** Bin that takes a missing value: its own bin, or the closest-risk bin when missing was rare; null = missing never seen. */
  missingBin: number | null;
  iv: number;
}

export interface BinningOptions {
  /** Smallest bin as a share of the training rows (e.g. 0.05). */
  minBinShare: number;
  maxBins: number;
  fineBins: number;
}

export const DEFAULT_BINNING: BinningOptions = { minBinShare: 0.05, maxBins: 8, fineBins: 20 };

const fmt = (x: number) => String(Number(x.toPrecision(10)));

function rangeLabels(uppers: (number | null)[]): string[] {
  return uppers.map((u, i) => {
    const lower = i === 0 ? null : uppers[i - 1];
    if (u === null) return lower === null ? 'all' : `> ${fmt(lower)}`;
    if (lower === null) return `<= ${fmt(u)}`;
    return `(${fmt(lower)}, ${fmt(u)}]`;
  });
}

/** Bins one attribute on a training sample and attaches WoE and IV. */
export function binAttribute(
  attribute: string,
  type: AttributeType,
  values: readonly AttributeValue[],
  bad: readonly number[],
  opts: BinningOptions = DEFAULT_BINNING,
): AttributeBinning {
  if (values.length !== bad.length)
    throw new ScorecardError(
      'INVALID_DATA',
      `binning ${attribute}: ${values.length} values but ${bad.length} outcomes`,
    );
  const minCount = Math.max(1, Math.ceil(opts.minBinShare * values.length));
  const present: number[] = [];
  const missing = { goods: 0, bads: 0 };
  values.forEach((v, i) => {
    if (v === null) {
      if (bad[i] === 1) missing.bads++;
      else missing.goods++;
    } else present.push(i);
  });
  const presentBad = present.map((i) => bad[i]);
  let bins: Bin[];
  if (type === 'numeric') {
    const ranges = binNumeric(
      present.map((i) => values[i] as number),
      presentBad,
      { minCount, maxBins: opts.maxBins, fineBins: opts.fineBins },
    );
    const labels = rangeLabels(ranges.map((r) => r.upper));
    bins = ranges.map((r, i) => ({
      kind: 'range',
      label: labels[i],
      upper: r.upper,
      goods: r.goods,
      bads: r.bads,
      woe: 0,
    }));
  } else {
    const groups = binCategorical(
      present.map((i) => String(values[i])),
      presentBad,
      { minCount, maxBins: opts.maxBins },
    );
    bins = groups.map((g) => ({
      kind: 'categories',
      label: g.categories.join(', '),
      categories: g.categories,
      goods: g.goods,
      bads: g.bads,
      woe: 0,
    }));
  }
  let missingBin: number | null = null;
  const missingCount = missing.goods + missing.bads;
  if (missingCount > 0) {
    if (bins.length === 0 || (missingCount >= minCount && missing.goods > 0 && missing.bads > 0)) {
      bins.push({ kind: 'missing', label: 'missing', goods: missing.goods, bads: missing.bads, woe: 0 });
      missingBin = bins.length - 1;
    } else {
      // Too few missing values for a bin of their own: they join the bin whose risk is closest.
      const rate = badRate(missing);
      let closest = 0;
      bins.forEach((b, i) => {
        if (Math.abs(badRate(b) - rate) < Math.abs(badRate(bins[closest]) - rate)) closest = i;
      });
      missingBin = closest;
      const target = bins[closest];
      target.goods += missing.goods;
      target.bads += missing.bads;
      target.label += ' or missing';
    }
  }
  const totalGoods = bins.reduce((s, b) => s + b.goods, 0);
  const totalBads = bins.reduce((s, b) => s + b.bads, 0);
  for (const b of bins)
    b.woe = totalGoods > 0 && totalBads > 0 ? weightOfEvidence(b, totalGoods, totalBads) : 0;
  return { attribute, type, bins, missingBin, iv: informationValue(bins) };
}

/** The bin a value falls in, or an error naming what is wrong with the value. */
export function binIndexOf(binning: AttributeBinning, value: AttributeValue): number {
  if (value === null) {
    if (binning.missingBin === null) {
      throw new ScorecardError(
        'MISSING_VALUE',
        `attribute "${binning.attribute}" is required: the model never saw it missing`,
      );
    }
    return binning.missingBin;
  }
  if (binning.type === 'numeric') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ScorecardError(
        'INVALID_VALUE',
        `attribute "${binning.attribute}" must be a finite number, got ${JSON.stringify(value)}`,
      );
    }
    for (let i = 0; i < binning.bins.length; i++) {
      const b = binning.bins[i];
      if (b.kind === 'range' && (b.upper === null || value <= b.upper)) return i;
    }
  } else {
    if (typeof value !== 'string') {
      throw new ScorecardError(
        'INVALID_VALUE',
        `attribute "${binning.attribute}" is categorical and must be a string, got ${JSON.stringify(value)}`,
      );
    }
    for (let i = 0; i < binning.bins.length; i++) {
      const b = binning.bins[i];
      if (b.kind === 'categories' && b.categories.includes(value)) return i;
    }
    const known = binning.bins.flatMap((b) => (b.kind === 'categories' ? b.categories : [])).sort();
    throw new ScorecardError(
      'UNKNOWN_CATEGORY',
      `attribute "${binning.attribute}" has no category ${JSON.stringify(value)}; known: ${known.join(', ')}`,
    );
  }
  throw new ScorecardError(
    'INVALID_MODEL',
    `attribute "${binning.attribute}" has no bin for ${JSON.stringify(value)}`,
  );
}
