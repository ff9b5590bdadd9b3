import { z } from 'zod';
import { IdString, MoneySchema } from '../common/money.schema';
import { replyEnvelope } from '../common/reply.schema';
import { defineCommand } from '../message-contract';

/**
 * The application's attributes, by the scorecard's names. The wire shape is deliberately loose (name ->
 * number | string | null): which attributes a model needs, their ranges and categories, and the refusal of
 * protected attributes (sex, age, origin, ...) are checked by the scoring service against the model it
 * runs, so every refusal comes back as a reply with a stable code instead of a dead letter.
 */
export const ApplicationAttributesSchema = z
  .record(z.string().min(1).max(64), z.union([z.number(), z.string().max(128), z.null()]))
  .refine((v) => Object.keys(v).length <= 64, 'at most 64 attributes');

export const ScoreApplicationSchema = z
  .object({
    applicationId: IdString,
    borrowerId: IdString,
    /** The amount the borrower asks for; the decision's maximum amount is in the same currency. */
    requestedAmount: MoneySchema,
    application: ApplicationAttributesSchema,
  })
  .strict();
export type ScoreApplication = z.infer<typeof ScoreApplicationSchema>;

export const ReasonCodeSchema = z
  .object({
    /** Stable code: `SC_<ATTRIBUTE>` for a scorecard attribute, `BH_<FEATURE>` for platform behaviour. */
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    source: z.enum(['scorecard', 'behaviour']),
    description: z.string(),
    /** Score points the factor cost the applicant (scorecard: against the attribute's best bin). */
    pointsLost: z.number(),
  })
  .strict();
export type ReasonCodeDto = z.infer<typeof ReasonCodeSchema>;

export const ScoreDecisionSchema = z
  .object({
    decisionId: z.uuid(),
    applicationId: IdString,
    borrowerId: IdString,
    model: z.object({ name: z.string(), version: z.number().int().positive() }).strict(),
    policyVersion: z.string(),
    /** Probability of default after the behaviour adjustment, in [0, 1]. */
    pd: z.number().min(0).max(1),
    score: z.number().int(),
    grade: z.string().regex(/^[A-G]$/),
    subGrade: z.string().regex(/^[A-G][1-5]$/),
    decision: z.enum(['approve', 'refer', 'decline']),
    maxAmount: MoneySchema,
    reasonCodes: z.array(ReasonCodeSchema),
    application: z.object({ pd: z.number().min(0).max(1), score: z.number().int() }).strict(),
    behaviour: z
      .object({
        logOddsAdjustment: z.number(),
        onTimeRepayments: z.number().int().nonnegative(),
        lateRepayments: z.number().int().nonnegative(),
        walletAgeDays: z.number().int().nonnegative().nullable(),
        inflows: MoneySchema,
      })
      .strict(),
    decidedAt: z.iso.datetime(),
  })
  .strict();
export type ScoreDecisionDto = z.infer<typeof ScoreDecisionSchema>;

/** Lending (or the gateway, for operators) asks for a score and a decision on one application. */
export const ScoreApplicationCommand = defineCommand({
  context: 'scoring',
  command: 'score-application',
  version: 1,
  schema: ScoreApplicationSchema,
  reply: replyEnvelope(ScoreDecisionSchema),
  key: (v) => v.borrowerId,
});
