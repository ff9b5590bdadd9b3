import { z } from 'zod';
import { isProtectedAttribute } from '../dataset/protected-attributes';
import type { Scorecard } from '../model/scorecard';

const attributeValue = z.union([
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.string(),
  z.null(),
]);

/**
 * Any application: attribute name -> number, string or null. A protected attribute (sex, age, origin,
 * marital status, ...) is refused outright, whatever its value, so it can never reach a model.
 */
export const applicationInputSchema = z.record(z.string(), attributeValue).superRefine((input, ctx) => {
  for (const key of Object.keys(input)) {
    if (isProtectedAttribute(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `PROTECTED_ATTRIBUTE: "${key}" is a protected attribute and may not be used for credit scoring; remove it from the application`,
      });
    }
  }
});

export type ApplicationInput = z.infer<typeof applicationInputSchema>;

/**
 * The application schema of one model: exactly its attributes, each of the right type (numbers for
 * numeric attributes, one of the known categories for categorical ones), protected attributes refused
 * and unknown attributes refused.
 */
export function applicationSchemaFor(model: Scorecard) {
  const shape: Record<string, z.ZodType<number | string | null>> = {};
  for (const a of model.attributes) {
    const canBeMissing = a.missingBin >= 0;
    const error = (what: string) => (issue: { input: unknown }) =>
      issue.input === undefined ? `"${a.name}" is required` : `"${a.name}" must be ${what}`;
    const base = a.numeric
      ? z.number({ error: error('a number') }).refine(Number.isFinite, `"${a.name}" must be a finite number`)
      : z
          .string({ error: error('a string') })
          .refine((v) => a.categories.has(v), { message: `"${a.name}" must be one of ${a.knownCategories}` });
    shape[a.name] = canBeMissing ? base.nullable() : base;
  }
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((input, ctx) => {
      for (const key of Object.keys(input)) {
        if (model.byName.has(key)) continue;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: isProtectedAttribute(key)
            ? `PROTECTED_ATTRIBUTE: "${key}" is a protected attribute and may not be used for credit scoring; remove it from the application`
            : `UNKNOWN_ATTRIBUTE: the model has no attribute "${key}"`,
        });
      }
    });
}
