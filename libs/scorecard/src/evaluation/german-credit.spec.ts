import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGermanCredit } from '../dataset/german-credit';
import { isProtectedAttribute } from '../dataset/protected-attributes';
import { loadModel } from '../model/scorecard';
import { evaluateModel } from './evaluate';
import { trainScorecard } from './train';

const LIB = join(__dirname, '..', '..');
const text = readFileSync(join(LIB, 'data', 'german-credit', 'german.data'), 'utf8');
const shipped = JSON.parse(readFileSync(join(LIB, 'models', 'german-credit.v1.json'), 'utf8'));
const dataset = parseGermanCredit(text);

// The same settings as the command that produced the shipped artifact:
// npx paylend score train --data libs/scorecard/data/german-credit/german.data --format german
//   --exclude 9,13,20 --folds 5 --seed 42 --name german-credit --model-version 1 --out libs/scorecard/models/german-credit.v1.json
const artifact = trainScorecard(dataset, {
  name: 'german-credit',
  version: 1,
  folds: 5,
  seed: 42,
  exclude: ['personal_status_sex', 'age_years', 'foreign_worker'],
  now: () => new Date(shipped.createdAt),
});

describe('German credit reference model', () => {
  it('reads the data the README describes', () => {
    expect(dataset.rows).toHaveLength(1000);
    expect(dataset.bad.filter((b) => b === 1)).toHaveLength(300);
    expect(dataset.source.sha256).toBe('b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871');
    expect(readFileSync(join(LIB, 'data', 'german-credit', 'README.md'), 'utf8')).toContain(
      dataset.source.sha256,
    );
  });

  it('seeded 5-fold cross-validation reaches a mean AUC of at least 0.78', () => {
    const cv = artifact.metrics.crossValidation;
    expect(cv.folds).toHaveLength(5);
    expect(cv.auc).toBeGreaterThanOrEqual(0.78);
    expect(cv.auc).toBeCloseTo(cv.folds.reduce((s, f) => s + f.auc, 0) / 5, 9);
    for (const f of cv.folds) expect(f.rows).toBe(200);
  });

  it('never uses attributes 9, 13 or 20, and reports approval rates across them', () => {
    expect(artifact.excluded).toEqual(['personal_status_sex', 'age_years', 'foreign_worker']);
    expect(
      artifact.attributes.some(
        (a) => isProtectedAttribute(a.attribute) || artifact.excluded.includes(a.attribute),
      ),
    ).toBe(false);
    expect(artifact.candidates.some((c) => artifact.excluded.includes(c.attribute))).toBe(false);
    const dims = artifact.metrics.fairness.dimensions;
    expect(dims.map((d) => d.dimension)).toEqual(['sex', 'age_band', 'foreign_worker']);
    expect(dims[0]!.groups.map((g) => [g.group, g.count])).toEqual([
      ['female', 310],
      ['male', 690],
    ]);
    expect(dims[2]!.groups.map((g) => [g.group, g.count])).toEqual([
      ['no', 37],
      ['yes', 963],
    ]);
    for (const d of dims) {
      const rates = d.groups.map((g) => g.approvalRate);
      expect(d.disparateImpactRatio).toBeCloseTo(Math.min(...rates) / Math.max(...rates), 9);
    }
  });

  it('reproduces the shipped artifact exactly, apart from the timestamp', () => {
    expect(JSON.parse(JSON.stringify(artifact))).toEqual(shipped);
    const again = trainScorecard(dataset, {
      name: 'german-credit',
      version: 1,
      folds: 5,
      seed: 42,
      exclude: ['personal_status_sex', 'age_years', 'foreign_worker'],
      now: () => new Date(0),
    });
    expect({ ...again, createdAt: shipped.createdAt }).toEqual(artifact);
  });

  it('evaluating the shipped model on its training data gives its training metrics and PSI 0', () => {
    const report = evaluateModel(loadModel(shipped), dataset);
    expect(report.auc).toBeCloseTo(shipped.metrics.training.auc, 9);
    expect(report.ks).toBeCloseTo(shipped.metrics.training.ks, 9);
    expect(report.psi).toBeCloseTo(0, 9);
    expect(report.excluded).toEqual(['personal_status_sex', 'age_years', 'foreign_worker']);
  });
});
