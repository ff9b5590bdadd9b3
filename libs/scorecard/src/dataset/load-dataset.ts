import { ScorecardError } from '../errors';
import { parseCreditCsv, type CsvOptions } from './csv';
import type { Dataset } from './dataset';
import { germanAttributeName, parseGermanCredit } from './german-credit';

export type DataFormat = 'german' | 'csv';

export interface LoadDatasetOptions extends Partial<CsvOptions> {
  format: DataFormat;
}

export function parseDataFormat(value: string): DataFormat {
  if (value === 'german' || value === 'csv') return value;
  throw new ScorecardError('INVALID_OPTION', `--format must be "german" or "csv", got "${value}"`);
}

/** Parses a data file's text in the given format. */
export function loadDataset(text: string, opts: LoadDatasetOptions): Dataset {
  if (opts.format === 'german') {
    if (opts.target !== undefined || opts.bad !== undefined) {
      throw new ScorecardError(
        'INVALID_OPTION',
        'the german format has a fixed target (class, 2 = bad); drop --target and --bad',
      );
    }
    return parseGermanCredit(text);
  }
  if (!opts.target) throw new ScorecardError('INVALID_OPTION', 'the csv format needs --target <column>');
  return parseCreditCsv(text, { ...opts, target: opts.target });
}

/** Resolves --exclude entries: German attribute numbers (1..20) or names; CSV column names. */
export function resolveExcluded(format: DataFormat, refs: readonly string[]): string[] {
  return refs.map((r) => (format === 'german' ? germanAttributeName(r) : r.trim())).filter((r) => r !== '');
}
