import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadModel, scoreApplication, type Application } from './scorecard';
import { rawScore } from '../scaling/points-scaling';
import { gradeOf } from '../grading/grades';
import { ScorecardError } from '../errors';

const MODEL_FILE = join(__dirname, '..', '..', 'models', 'german-credit.v1.json');
const json = readFileSync(MODEL_FILE, 'utf8');
const model = loadModel(json);

/** UCI row 1 (A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201) minus protected and unused attributes. */
const applicant: Application = {
  checking_account: 'A11',
  duration_months: 6,
  credit_history: 'A34',
  purpose: 'A43',
  credit_amount: 1169,
  savings: 'A65',
  employment_since: 'A75',
  installment_rate_pct: 4,
  property: 'A121',
  other_installment_plans: 'A143',
  housing: 'A152',
};

/** Valid applications drawn from the model's own bins. */
const applications = fc
  .tuple(
    ...model.artifact.attributes.map((a) =>
      fc.constantFrom(
        ...a.bins.flatMap((b): (string | number | null)[] => {
          if (b.kind === 'categories') return b.categories;
          if (b.kind === 'range') return [b.upper ?? 1e6];
          return [null];
        }),
      ),
    ),
  )
  .map(
    (values) =>
      Object.fromEntries(model.artifact.attributes.map((a, i) => [a.attribute, values[i]!])) as Application,
  );

describe('loadModel', () => {
  it('loads the shipped reference artifact from a string or an object', () => {
    expect(model.attributes.map((a) => a.name)).toEqual(model.artifact.attributes.map((a) => a.attribute));
    expect(loadModel(JSON.parse(json)).artifact).toEqual(model.artifact);
  });

  it('refuses malformed artifacts, naming the field', () => {
    expect(() => loadModel('{not json')).toThrow(/INVALID_MODEL: the model is not valid JSON/);
    const broken = JSON.parse(json);
    delete broken.intercept;
    expect(() => loadModel(broken)).toThrow(/INVALID_MODEL: the model artifact is invalid at intercept/);
    expect(() => loadModel({ ...JSON.parse(json), schemaVersion: 2 })).toThrow(/at schemaVersion/);
  });

  it('refuses an artifact whose numbers cannot score: scaling, grades, score distribution', () => {
    const artifact = JSON.parse(json);
    expect(() => loadModel({ ...artifact, scaling: { ...artifact.scaling, pdo: 0 } })).toThrow(
      /INVALID_MODEL: scaling: points-to-double-odds must be > 0/,
    );
    expect(() => loadModel({ ...artifact, grades: artifact.grades.slice(0, -1) })).toThrow(
      /INVALID_MODEL: grades: the last band must end at PD 1/,
    );
    const { edges, shares } = artifact.scoreDistribution;
    expect(edges.length).toBeGreaterThan(0);
    expect(() => loadModel({ ...artifact, scoreDistribution: { edges, shares: shares.slice(1) } })).toThrow(
      /INVALID_MODEL: scoreDistribution: \d+ edges need \d+ shares/,
    );
  });

  it('refuses an artifact that uses a protected attribute', () => {
    const tampered = JSON.parse(json);
    tampered.attributes[0].attribute = 'gender';
    expect(() => loadModel(tampered)).toThrow(
      'INVALID_MODEL: the model uses protected attribute "gender"; retrain without it',
    );
  });
});

describe('scoreApplication', () => {
  it('agrees with the artifact: PD from intercept + Σ coefficient·WoE, score from base points + Σ points', () => {
    const result = scoreApplication(model, applicant);
    let z = model.artifact.intercept;
    let points = model.artifact.basePoints;
    for (const a of model.artifact.attributes) {
      const v = applicant[a.attribute]!;
      const bin = a.bins.find((b) =>
        b.kind === 'categories'
          ? b.categories.includes(v as string)
          : b.kind === 'range' && (b.upper === null || (v as number) <= b.upper),
      )!;
      z += a.coefficient * bin.woe;
      points += bin.points;
    }
    expect(result.pd).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
    expect(points).toBeCloseTo(rawScore(z, model.scaling), 6);
    expect(result.score).toBe(Math.round(points));
    expect(gradeOf(result.pd)).toEqual({ grade: result.grade, subGrade: result.subGrade });
  });

  it('reason codes: the attributes losing most points against their best bin, largest first, at most 4', () => {
    fc.assert(
      fc.property(applications, (app) => {
        const r = scoreApplication(model, app);
        expect(r.pd).toBeGreaterThan(0);
        expect(r.pd).toBeLessThan(1);
        expect(r.reasonCodes.length).toBeLessThanOrEqual(4);
        for (let i = 1; i < r.reasonCodes.length; i++)
          expect(r.reasonCodes[i]!.pointsLost).toBeLessThanOrEqual(r.reasonCodes[i - 1]!.pointsLost);
        for (const rc of r.reasonCodes) {
          expect(rc.pointsLost).toBeGreaterThan(0);
          expect(rc.pointsLost).toBeCloseTo(rc.bestPoints - rc.points, 9);
          // Moving that attribute to its best bin recovers exactly the points lost.
          const best = model.artifact.attributes
            .find((a) => a.attribute === rc.attribute)!
            .bins.find((b) => b.points === rc.bestPoints)!;
          const bestValue =
            best.kind === 'categories'
              ? best.categories[0]!
              : best.kind === 'range'
                ? (best.upper ?? 1e6)
                : null;
          const improved = scoreApplication(model, { ...app, [rc.attribute]: bestValue });
          expect(improved.pd).toBeLessThan(r.pd);
          expect(improved.reasonCodes.some((x) => x.attribute === rc.attribute)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses protected attributes, whatever the spelling', () => {
    for (const key of [
      'age',
      'Age',
      'personal_status_sex',
      'foreign_worker',
      'ForeignWorker',
      'sex',
      'gender',
      'date_of_birth',
      'marital-status',
      'race',
      'religion',
      'nationality',
    ]) {
      expect(() => scoreApplication(model, { ...applicant, [key]: 'x' })).toThrow(
        `PROTECTED_ATTRIBUTE: "${key}" is a protected attribute and may not be sent for scoring; remove it`,
      );
    }
  });

  it('refuses unknown attributes, wrong types, unknown categories and missing required values with codes', () => {
    const codeOf = (app: Application) => {
      try {
        scoreApplication(model, app);
        return 'accepted';
      } catch (err) {
        return err instanceof ScorecardError ? err.code : 'other';
      }
    };
    expect(codeOf({ ...applicant, shoe_size: 42 })).toBe('UNKNOWN_ATTRIBUTE');
    expect(codeOf({ ...applicant, duration_months: '6' })).toBe('INVALID_VALUE');
    expect(codeOf({ ...applicant, duration_months: Number.NaN })).toBe('INVALID_VALUE');
    expect(codeOf({ ...applicant, checking_account: 1 })).toBe('INVALID_VALUE');
    expect(codeOf({ ...applicant, checking_account: 'A99' })).toBe('UNKNOWN_CATEGORY');
    expect(codeOf({ ...applicant, checking_account: null })).toBe('MISSING_VALUE');
    const { purpose: _p, ...withoutPurpose } = applicant;
    expect(codeOf(withoutPurpose)).toBe('MISSING_VALUE');
    expect(() => scoreApplication(model, { ...applicant, checking_account: 'A99' })).toThrow(
      /known: A11, A12, A13, A14/,
    );
  });
});
