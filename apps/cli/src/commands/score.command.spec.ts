import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerScoreCommand } from './score.command';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DATA = join(ROOT, 'libs', 'scorecard', 'data', 'german-credit', 'german.data');
const MODEL = join(ROOT, 'libs', 'scorecard', 'models', 'german-credit.v1.json');

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('paylend').exitOverride();
  registerScoreCommand(program);
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'paylend', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = process.exitCode === undefined ? 0 : Number(process.exitCode);
  process.exitCode = undefined;
  return { out, err, code };
}

describe('paylend score', () => {
  it('train --json prints the cross-validated metrics, folds and exclusions, and writes the artifact', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'score-')), 'model.json');
    const r = await run(
      'score',
      'train',
      '--data',
      DATA,
      '--format',
      'german',
      '--exclude',
      '9,13,20',
      '--folds',
      '5',
      '--seed',
      '42',
      '--name',
      'german-credit',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.auc).toBeGreaterThanOrEqual(0.78);
    expect(json.folds).toHaveLength(5);
    expect(json.folds[0]).toEqual(
      expect.objectContaining({ auc: expect.any(Number), gini: expect.any(Number), ks: expect.any(Number) }),
    );
    expect(json.excluded).toEqual(['personal_status_sex', 'age_years', 'foreign_worker']);
    expect(json.fairness.dimensions.map((d: { dimension: string }) => d.dimension)).toEqual([
      'sex',
      'age_band',
      'foreign_worker',
    ]);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    const shipped = JSON.parse(readFileSync(MODEL, 'utf8'));
    expect({ ...written, createdAt: shipped.createdAt }).toEqual(shipped);
  });

  it('evaluate --json prints the same metrics for a trained model', async () => {
    const r = await run(
      'score',
      'evaluate',
      '--model',
      MODEL,
      '--data',
      DATA,
      '--format',
      'german',
      '--json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.auc).toBeCloseTo(JSON.parse(readFileSync(MODEL, 'utf8')).metrics.training.auc, 9);
    expect(json).toEqual(
      expect.objectContaining({
        gini: expect.any(Number),
        ks: expect.any(Number),
        psi: expect.any(Number),
        excluded: expect.any(Array),
      }),
    );
  });

  it('train without --json prints a readable summary', async () => {
    const r = await run('score', 'train', '--data', DATA, '--format', 'german', '--folds', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3-fold cross-validation \(seed 42\): AUC 0\.\d{3}/);
    expect(r.out).toMatch(/sex \[from personal_status_sex\]: female/);
    expect(r.out).toContain('excluded: personal_status_sex, age_years, foreign_worker');
  });

  it('application scores one applicant and refuses a protected attribute', async () => {
    const app = {
      checking_account: 'A14',
      duration_months: 12,
      credit_history: 'A34',
      purpose: 'A43',
      credit_amount: 2000,
      savings: 'A65',
      employment_since: 'A75',
      installment_rate_pct: 2,
      property: 'A121',
      other_installment_plans: 'A143',
      housing: 'A152',
    };
    const ok = await run('score', 'application', '--model', MODEL, '--input', JSON.stringify(app));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual(
      expect.objectContaining({
        pd: expect.any(Number),
        score: expect.any(Number),
        grade: expect.stringMatching(/^[A-G]$/),
        subGrade: expect.stringMatching(/^[A-G][1-5]$/),
      }),
    );
    const refused = await run(
      'score',
      'application',
      '--model',
      MODEL,
      '--input',
      JSON.stringify({ ...app, age_years: 30 }),
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('PROTECTED_ATTRIBUTE: "age_years" is a protected attribute');
  });

  it('refuses bad options with a clear message and exit code 1', async () => {
    const fmt = await run('score', 'train', '--data', DATA, '--format', 'xml');
    expect(fmt).toMatchObject({ code: 1, out: '' });
    expect(fmt.err).toContain('--format must be "german" or "csv", got "xml"');
    const missing = await run(
      'score',
      'train',
      '--data',
      '/nonexistent.csv',
      '--format',
      'csv',
      '--target',
      't',
    );
    expect(missing.err).toContain('cannot read data file "/nonexistent.csv"');
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    writeFileSync(join(dir, 'bad.json'), '{"schema":"nope"}');
    const model = await run(
      'score',
      'evaluate',
      '--model',
      join(dir, 'bad.json'),
      '--data',
      DATA,
      '--format',
      'german',
    );
    expect(model.code).toBe(1);
    expect(model.err).toMatch(/INVALID_MODEL: the model artifact is invalid at schema/);
    await expect(
      run('score', 'train', '--data', DATA, '--format', 'german', '--folds', 'five'),
    ).rejects.toThrow(/--folds must be an integer/);
  });
});
