import type { AttributeType, AttributeValue } from '../binning/attribute-binning';

export interface AttributeSpec {
  name: string;
  type: AttributeType;
  description?: string;
}

/**
 * A protected characteristic derived from one column, used only to report approval rates by group;
 * never a model input.
 */
export interface FairnessDimension {
  name: string;
  column: string;
  groupOf(value: AttributeValue): string | null;
  /** Report order of the groups (e.g. age bands youngest first); otherwise alphabetical. */
  order?: readonly string[];
}

export interface Dataset {
  attributes: AttributeSpec[];
  rows: Record<string, AttributeValue>[];
  /** 1 = bad, 0 = good, one per row. */
  bad: number[];
  fairness: FairnessDimension[];
  source: { format: 'german' | 'csv'; sha256: string; target: string; badValue: string };
}

export const AGE_BANDS = ['under 25', '25-34', '35-49', '50 and over'] as const;

/** Age bands for the fairness report. */
export function ageBand(value: AttributeValue): string | null {
  if (typeof value !== 'number') return null;
  if (value < 25) return 'under 25';
  if (value < 35) return '25-34';
  if (value < 50) return '35-49';
  return '50 and over';
}
