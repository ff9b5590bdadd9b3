import { createHash } from 'node:crypto';
import { ScorecardError } from '../errors';
import type { AttributeType, AttributeValue } from '../binning/attribute-binning';
import { AGE_BANDS, ageBand, type AttributeSpec, type Dataset, type FairnessDimension } from './dataset';
import { isProtectedAttribute, normaliseAttributeName } from './protected-attributes';

/** Cells read as missing. */
export const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);

export interface CsvOptions {
  target: string;
  /** The target value that means "bad"; when absent the target must be 0/1 and 1 is bad. */
  bad?: string;
  /** Columns forced to a type; the rest are numeric when every present value parses as a number. */
  numeric?: string[];
  categorical?: string[];
  delimiter?: string;
}

/** RFC 4180 fields: quoted fields may hold delimiters, doubled quotes and line breaks. */
export function parseCsvRecords(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
    i++;
  }
  if (quoted) throw new ScorecardError('INVALID_DATA', 'CSV: a quoted field is never closed');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

const isMissing = (cell: string) => MISSING_TOKENS.has(cell.trim().toLowerCase());

function parseNumber(cell: string): number | null {
  const t = cell.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/**
 * Loads any credit CSV with a header row and a named target column. Protected columns are kept only
 * for the fairness report (training never uses them).
 */
export function parseCreditCsv(text: string, opts: CsvOptions): Dataset {
  const records = parseCsvRecords(text, opts.delimiter ?? ',');
  if (records.length < 2)
    throw new ScorecardError('INVALID_DATA', 'CSV: needs a header row and at least one data row');
  const header = records[0].map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new ScorecardError('INVALID_DATA', 'CSV: a header cell is empty; name every column');
    if (seen.has(h))
      throw new ScorecardError('INVALID_DATA', `CSV: column "${h}" appears twice in the header`);
    seen.add(h);
  }
  const targetIndex = header.indexOf(opts.target);
  if (targetIndex < 0)
    throw new ScorecardError(
      'INVALID_OPTION',
      `CSV: no target column "${opts.target}"; columns are ${header.join(', ')}`,
    );
  for (const col of [...(opts.numeric ?? []), ...(opts.categorical ?? [])]) {
    if (!seen.has(col))
      throw new ScorecardError('INVALID_OPTION', `CSV: declared column "${col}" is not in the header`);
  }
  const body = records.slice(1);
  body.forEach((r, i) => {
    if (r.length !== header.length)
      throw new ScorecardError(
        'INVALID_DATA',
        `CSV line ${i + 2}: ${r.length} fields but the header has ${header.length}`,
      );
  });

  const bad: number[] = body.map((r, i) => {
    const cell = r[targetIndex].trim();
    if (isMissing(cell))
      throw new ScorecardError(
        'INVALID_DATA',
        `CSV line ${i + 2}: the target "${opts.target}" is missing; drop the row or fill it`,
      );
    if (opts.bad !== undefined) return cell === opts.bad ? 1 : 0;
    if (cell === '1') return 1;
    if (cell === '0') return 0;
    throw new ScorecardError(
      'INVALID_OPTION',
      `CSV line ${i + 2}: target "${opts.target}" is "${cell}"; pass --bad <value> unless the target is 0/1 with 1 = bad`,
    );
  });

  const attributes: AttributeSpec[] = [];
  header.forEach((name, k) => {
    if (k === targetIndex) return;
    let type: AttributeType;
    if (opts.numeric?.includes(name)) type = 'numeric';
    else if (opts.categorical?.includes(name)) type = 'categorical';
    else {
      const present = body.map((r) => r[k]).filter((c) => !isMissing(c));
      type = present.length > 0 && present.every((c) => parseNumber(c) !== null) ? 'numeric' : 'categorical';
    }
    attributes.push({ name, type });
  });

  const rows = body.map((r, i) => {
    const row: Record<string, AttributeValue> = {};
    for (const a of attributes) {
      const cell = r[header.indexOf(a.name)];
      if (isMissing(cell)) row[a.name] = null;
      else if (a.type === 'numeric') {
        const v = parseNumber(cell);
        if (v === null)
          throw new ScorecardError(
            'INVALID_DATA',
            `CSV line ${i + 2}: column "${a.name}" is numeric but holds "${cell}"`,
          );
        row[a.name] = v;
      } else row[a.name] = cell.trim();
    }
    return row;
  });

  const fairness: FairnessDimension[] = attributes
    .filter((a) => isProtectedAttribute(a.name))
    .map((a) => {
      const isAge = ['age', 'ageyears'].includes(normaliseAttributeName(a.name)) && a.type === 'numeric';
      return {
        name: isAge ? `${a.name}_band` : a.name,
        column: a.name,
        groupOf: isAge ? ageBand : (v: AttributeValue) => (v === null ? null : String(v)),
        ...(isAge ? { order: AGE_BANDS } : {}),
      };
    });

  return {
    attributes,
    rows,
    bad,
    fairness,
    source: {
      format: 'csv',
      sha256: createHash('sha256').update(text).digest('hex'),
      target: opts.target,
      badValue: opts.bad ?? '1',
    },
  };
}
