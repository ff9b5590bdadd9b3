import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applicationInputSchema, applicationSchemaFor } from './application.schema';
import { protectedAttributeNames } from '../dataset/protected-attributes';
import { loadModel } from '../model/scorecard';

const model = loadModel(readFileSync(join(__dirname, '..', '..', 'models', 'german-credit.v1.json'), 'utf8'));

/** Spellings a client might use for a protected name: any case, with _ - or space between letters. */
const protectedKey = fc
  .tuple(
    fc.constantFrom(...protectedAttributeNames()),
    fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    fc.constantFrom('', '_', '-', ' '),
  )
  .map(([name, upper, sep]) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(sep));

const applicant = {
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

describe('application input schema', () => {
  it('never accepts a protected attribute, whatever its spelling or value', () => {
    fc.assert(
      fc.property(
        protectedKey,
        fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
        (key, value) => {
          const generic = applicationInputSchema.safeParse({ ...applicant, [key]: value });
          expect(generic.success).toBe(false);
          expect(
            generic.error!.issues.some((i) => i.message.startsWith(`PROTECTED_ATTRIBUTE: "${key}"`)),
          ).toBe(true);
          const specific = applicationSchemaFor(model).safeParse({ ...applicant, [key]: value });
          expect(specific.success).toBe(false);
          expect(specific.error!.issues.some((i) => i.message.includes('PROTECTED_ATTRIBUTE'))).toBe(true);
        },
      ),
    );
  });

  it('refuses each of the German data protected attributes by name', () => {
    for (const key of ['personal_status_sex', 'age_years', 'foreign_worker']) {
      const r = applicationInputSchema.safeParse({ ...applicant, [key]: 'A93' });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.message).toBe(
        `PROTECTED_ATTRIBUTE: "${key}" is a protected attribute and may not be used for credit scoring; remove it from the application`,
      );
    }
  });

  it('accepts a clean application and refuses wrong types', () => {
    expect(applicationInputSchema.parse(applicant)).toEqual(applicant);
    expect(applicationInputSchema.safeParse({ duration_months: Number.POSITIVE_INFINITY }).success).toBe(
      false,
    );
    expect(applicationInputSchema.safeParse({ duration_months: { x: 1 } }).success).toBe(false);
  });

  it('model schema: exactly the model attributes, right types, known categories', () => {
    const schema = applicationSchemaFor(model);
    expect(schema.safeParse(applicant).success).toBe(true);
    const messages = (input: unknown) => schema.safeParse(input).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ ...applicant, shoe_size: 1 })).toEqual([
      'UNKNOWN_ATTRIBUTE: the model has no attribute "shoe_size"',
    ]);
    expect(messages({ ...applicant, checking_account: 'A99' })).toEqual([
      '"checking_account" must be one of A11, A12, A13, A14',
    ]);
    expect(messages({ ...applicant, duration_months: '6' })).toEqual(['"duration_months" must be a number']);
    const { purpose: _p, ...withoutPurpose } = applicant;
    expect(messages(withoutPurpose)).toEqual(['"purpose" is required']);
  });
});
