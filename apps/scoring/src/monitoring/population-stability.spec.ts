import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadModel, parseGermanCredit, logOddsBad, rawScore } from '@paylend/scorecard';
import { populationStability } from './population-stability';

const root = join(__dirname, '../../../..');
const model = loadModel(readFileSync(join(root, 'libs/scorecard/models/german-credit.v1.json'), 'utf8'));
const settings = { minSample: 50, threshold: 0.25 };
const trainingScores = parseGermanCredit(
  readFileSync(join(root, 'libs/scorecard/data/german-credit/german.data'), 'utf8'),
).rows.map((row) =>
  rawScore(
    logOddsBad(model, Object.fromEntries(model.attributes.map((a) => [a.name, row[a.name] ?? null]))),
    model.scaling,
  ),
);

describe('population stability', () => {
  it('is ~0 on the training population itself', () => {
    const r = populationStability(model, trainingScores, settings);
    expect(r.psi).toBeCloseTo(0, 6);
    expect(r.status).toBe('stable');
    expect(r.buckets).toHaveLength(model.artifact.scoreDistribution.shares.length);
  });

  it('is not computed below the minimum sample', () => {
    expect(populationStability(model, trainingScores.slice(0, 49), settings)).toMatchObject({
      psi: null,
      status: 'insufficient-data',
      sampleSize: 49,
    });
  });

  it('flags a population of only low scores as drifted', () => {
    const low = trainingScores.filter((s) => s < 460);
    const r = populationStability(model, low, settings);
    expect(r.psi!).toBeGreaterThan(0.25);
    expect(r.status).toBe('drifted');
  });

  it('is non-negative, and its bucket shares sum to 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 300, max: 850, noNaN: true }), { minLength: 50, maxLength: 400 }),
        (scores) => {
          const r = populationStability(model, scores, settings);
          expect(r.psi!).toBeGreaterThanOrEqual(0);
          expect(r.buckets.reduce((s, b) => s + b.actualShare, 0)).toBeCloseTo(1, 9);
        },
      ),
    );
  });
});
