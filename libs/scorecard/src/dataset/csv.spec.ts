import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCreditCsv, parseCsvRecords } from './csv';
import { GERMAN_ATTRIBUTES, parseGermanCredit } from './german-credit';
import { loadDataset, resolveExcluded } from './load-dataset';
import { trainScorecard } from '../evaluation/train';
import { evaluateModel } from '../evaluation/evaluate';
import { compile } from '../model/scorecard';

describe('CSV records', () => {
  it('handles quotes, doubled quotes, embedded delimiters and line breaks, CRLF and a BOM', () => {
    expect(parseCsvRecords('\ufeffa,b\r\n"x, y","he said ""hi"""\n"multi\nline",2\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
      ['multi\nline', '2'],
    ]);
    expect(() => parseCsvRecords('a\n"open')).toThrow(/INVALID_DATA: CSV: a quoted field is never closed/);
  });
});

describe('credit CSV loader', () => {
  const csv = [
    'id_type,income,region,default',
    'x,1200.5,north,1',
    'y,,south,0',
    'x,NA,?,0',
    'y,3e3,north,1',
  ].join('\n');

  it('detects numeric and categorical columns and reads missing values as null', () => {
    const ds = parseCreditCsv(csv, { target: 'default' });
    expect(ds.attributes).toEqual([
      { name: 'id_type', type: 'categorical' },
      { name: 'income', type: 'numeric' },
      { name: 'region', type: 'categorical' },
    ]);
    expect(ds.rows.map((r) => r['income'])).toEqual([1200.5, null, null, 3000]);
    expect(ds.rows[2]!['region']).toBeNull();
    expect(ds.bad).toEqual([1, 0, 0, 1]);
  });

  it('honours declared types and a --bad value', () => {
    const ds = parseCreditCsv(csv.replace(/,1$/gm, ',yes').replace(/,0$/gm, ',no'), {
      target: 'default',
      bad: 'yes',
      categorical: ['income'],
    });
    expect(ds.attributes.find((a) => a.name === 'income')!.type).toBe('categorical');
    expect(ds.rows[0]!['income']).toBe('1200.5');
    expect(ds.bad).toEqual([1, 0, 0, 1]);
  });

  it('refuses bad input with messages naming the fix', () => {
    expect(() => parseCreditCsv(csv, { target: 'dflt' })).toThrow(
      'INVALID_OPTION: CSV: no target column "dflt"; columns are id_type, income, region, default',
    );
    expect(() => parseCreditCsv(csv.replace(',1\n', ',Y\n'), { target: 'default' })).toThrow(
      /pass --bad <value> unless the target is 0\/1/,
    );
    expect(() => parseCreditCsv(csv.replace('y,,south,0', 'y,,south,'), { target: 'default' })).toThrow(
      /CSV line 3: the target "default" is missing/,
    );
    expect(() => parseCreditCsv(csv.replace('y,,south,0', 'y,south,0'), { target: 'default' })).toThrow(
      /CSV line 3: 3 fields but the header has 4/,
    );
    expect(() => parseCreditCsv(csv, { target: 'default', numeric: ['region'] })).toThrow(
      /column "region" is numeric but holds "north"/,
    );
    expect(() => parseCreditCsv(csv, { target: 'default', numeric: ['nope'] })).toThrow(
      /declared column "nope" is not in the header/,
    );
    expect(() => parseCreditCsv('a,a,t\n1,2,0', { target: 't' })).toThrow(/column "a" appears twice/);
    expect(() => loadDataset(csv, { format: 'csv' })).toThrow(/the csv format needs --target <column>/);
    expect(() => loadDataset('', { format: 'german', target: 'x' })).toThrow(/drop --target and --bad/);
    expect(() => resolveExcluded('german', ['21'])).toThrow(/attributes 1..20; there is no attribute 21/);
    expect(resolveExcluded('german', ['9', 'age_years', ' 20 '])).toEqual([
      'personal_status_sex',
      'age_years',
      'foreign_worker',
    ]);
  });
});

describe('training from a generic CSV', () => {
  // The German data rewritten as a CSV with its own header, some holes, and protected columns named the
  // way another lender's file might name them.
  const german = parseGermanCredit(
    readFileSync(join(__dirname, '..', '..', 'data', 'german-credit', 'german.data'), 'utf8'),
  );
  const usable = GERMAN_ATTRIBUTES.filter(
    (a) => !['personal_status_sex', 'age_years', 'foreign_worker'].includes(a.name),
  ).map((a) => a.name);
  const header = [...usable, 'Sex', 'Age', 'outcome'];
  const lines = german.rows.map((row, i) => {
    const cells = usable.map((name) => {
      if (name === 'duration_months' && i % 7 === 0) return '';
      if (name === 'savings' && i % 11 === 0) return 'NA';
      return String(row[name]);
    });
    const sex = ['A92', 'A95'].includes(row['personal_status_sex'] as string) ? 'F' : 'M';
    return [...cells, sex, String(row['age_years']), german.bad[i] === 1 ? 'bad' : 'good'].join(',');
  });
  const ds = parseCreditCsv([header.join(','), ...lines].join('\n'), {
    target: 'outcome',
    bad: 'bad',
    categorical: ['installment_rate_pct'],
  });
  const artifact = trainScorecard(ds, { folds: 3, seed: 7, now: () => new Date(0) });

  it('leaves protected columns out on its own and reports them in the fairness section', () => {
    expect(artifact.excluded).toEqual(['Sex', 'Age']);
    expect(artifact.attributes.map((a) => a.attribute)).not.toContain('Age');
    expect(artifact.metrics.fairness.dimensions.map((d) => d.dimension)).toEqual(['Sex', 'Age_band']);
    expect(artifact.metrics.fairness.dimensions[1]!.groups.map((g) => g.group)).toEqual([
      'under 25',
      '25-34',
      '35-49',
      '50 and over',
    ]);
  });

  it('handles missing values with a bin of their own and still ranks well', () => {
    const duration = artifact.attributes.find((a) => a.attribute === 'duration_months')!;
    expect(duration.missingBin).not.toBeNull();
    expect(duration.bins[duration.missingBin!]!.goods + duration.bins[duration.missingBin!]!.bads).toBe(143);
    expect(artifact.metrics.crossValidation.auc).toBeGreaterThan(0.74);
    const report = evaluateModel(compile(artifact), ds);
    expect(report.auc).toBeCloseTo(artifact.metrics.training.auc, 9);
  });
});
