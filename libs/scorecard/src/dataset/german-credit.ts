import { createHash } from 'node:crypto';
import { ScorecardError } from '../errors';
import type { AttributeValue } from '../binning/attribute-binning';
import { AGE_BANDS, ageBand, type AttributeSpec, type Dataset } from './dataset';

/** Attribute n of the UCI Statlog German credit file is GERMAN_ATTRIBUTES[n - 1]. */
export const GERMAN_ATTRIBUTES: AttributeSpec[] = [
  {
    name: 'checking_account',
    type: 'categorical',
    description: 'Attribute 1: status of existing checking account',
  },
  { name: 'duration_months', type: 'numeric', description: 'Attribute 2: duration in months' },
  { name: 'credit_history', type: 'categorical', description: 'Attribute 3: credit history' },
  { name: 'purpose', type: 'categorical', description: 'Attribute 4: purpose' },
  { name: 'credit_amount', type: 'numeric', description: 'Attribute 5: credit amount (DM)' },
  { name: 'savings', type: 'categorical', description: 'Attribute 6: savings account/bonds' },
  { name: 'employment_since', type: 'categorical', description: 'Attribute 7: present employment since' },
  {
    name: 'installment_rate_pct',
    type: 'numeric',
    description: 'Attribute 8: instalment rate in % of disposable income',
  },
  {
    name: 'personal_status_sex',
    type: 'categorical',
    description: 'Attribute 9: personal status and sex (protected)',
  },
  { name: 'other_debtors', type: 'categorical', description: 'Attribute 10: other debtors / guarantors' },
  { name: 'residence_since', type: 'numeric', description: 'Attribute 11: present residence since' },
  { name: 'property', type: 'categorical', description: 'Attribute 12: property' },
  { name: 'age_years', type: 'numeric', description: 'Attribute 13: age in years (protected)' },
  {
    name: 'other_installment_plans',
    type: 'categorical',
    description: 'Attribute 14: other instalment plans',
  },
  { name: 'housing', type: 'categorical', description: 'Attribute 15: housing' },
  {
    name: 'existing_credits',
    type: 'numeric',
    description: 'Attribute 16: number of existing credits at this bank',
  },
  { name: 'job', type: 'categorical', description: 'Attribute 17: job' },
  {
    name: 'dependents',
    type: 'numeric',
    description: 'Attribute 18: number of people liable to provide maintenance for',
  },
  { name: 'telephone', type: 'categorical', description: 'Attribute 19: telephone' },
  { name: 'foreign_worker', type: 'categorical', description: 'Attribute 20: foreign worker (protected)' },
];

/** "9" or "personal_status_sex" -> "personal_status_sex"; unknown names are refused. */
export function germanAttributeName(ref: string): string {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) {
    const spec = GERMAN_ATTRIBUTES[Number(trimmed) - 1];
    if (!spec)
      throw new ScorecardError(
        'INVALID_OPTION',
        `German credit has attributes 1..20; there is no attribute ${trimmed}`,
      );
    return spec.name;
  }
  if (!GERMAN_ATTRIBUTES.some((a) => a.name === trimmed)) {
    throw new ScorecardError(
      'INVALID_OPTION',
      `German credit has no attribute "${trimmed}"; use 1..20 or one of ${GERMAN_ATTRIBUTES.map((a) => a.name).join(', ')}`,
    );
  }
  return trimmed;
}

const FEMALE = new Set(['A92', 'A95']);

/**
 * Parses the original UCI german.data layout: 20 space-separated attributes and the class (1 good,
 * 2 bad). Attribute 9 yields sex, 13 age bands and 20 foreign-worker status for the fairness report.
 */
export function parseGermanCredit(text: string): Dataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new ScorecardError('INVALID_DATA', 'German credit file is empty');
  const rows: Record<string, AttributeValue>[] = [];
  const bad: number[] = [];
  lines.forEach((line, i) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 21) {
      throw new ScorecardError(
        'INVALID_DATA',
        `German credit line ${i + 1}: expected 21 space-separated fields (20 attributes and the class), got ${fields.length}`,
      );
    }
    const row: Record<string, AttributeValue> = {};
    GERMAN_ATTRIBUTES.forEach((spec, k) => {
      const raw = fields[k];
      if (spec.type === 'numeric') {
        const v = Number(raw);
        if (!Number.isFinite(v))
          throw new ScorecardError(
            'INVALID_DATA',
            `German credit line ${i + 1}: attribute ${k + 1} (${spec.name}) must be a number, got "${raw}"`,
          );
        row[spec.name] = v;
      } else row[spec.name] = raw;
    });
    const cls = fields[20];
    if (cls !== '1' && cls !== '2')
      throw new ScorecardError(
        'INVALID_DATA',
        `German credit line ${i + 1}: the class must be 1 (good) or 2 (bad), got "${cls}"`,
      );
    rows.push(row);
    bad.push(cls === '2' ? 1 : 0);
  });
  return {
    attributes: GERMAN_ATTRIBUTES.map((a) => ({ ...a })),
    rows,
    bad,
    fairness: [
      {
        name: 'sex',
        column: 'personal_status_sex',
        groupOf: (v) => (typeof v === 'string' ? (FEMALE.has(v) ? 'female' : 'male') : null),
      },
      { name: 'age_band', column: 'age_years', groupOf: ageBand, order: AGE_BANDS },
      {
        name: 'foreign_worker',
        column: 'foreign_worker',
        groupOf: (v) => (v === 'A201' ? 'yes' : v === 'A202' ? 'no' : null),
      },
    ],
    source: {
      format: 'german',
      sha256: createHash('sha256').update(text).digest('hex'),
      target: 'class',
      badValue: '2',
    },
  };
}
