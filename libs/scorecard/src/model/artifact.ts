import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const binSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('range'),
    label: z.string(),
    upper: finite.nullable(),
    goods: z.number().int().nonnegative(),
    bads: z.number().int().nonnegative(),
    woe: finite,
    points: finite,
  }),
  z.object({
    kind: z.literal('categories'),
    label: z.string(),
    categories: z.array(z.string()).min(1),
    goods: z.number().int().nonnegative(),
    bads: z.number().int().nonnegative(),
    woe: finite,
    points: finite,
  }),
  z.object({
    kind: z.literal('missing'),
    label: z.string(),
    goods: z.number().int().nonnegative(),
    bads: z.number().int().nonnegative(),
    woe: finite,
    points: finite,
  }),
]);

export const modelAttributeSchema = z.object({
  attribute: z.string().min(1),
  type: z.enum(['numeric', 'categorical']),
  iv: finite,
  coefficient: finite,
  missingBin: z.number().int().nonnegative().nullable(),
  bins: z.array(binSchema).min(1),
});

const foldSchema = z.object({
  fold: z.number().int(),
  rows: z.number().int(),
  bads: z.number().int(),
  auc: finite,
  gini: finite,
  ks: finite,
  psiTrainVsHoldout: finite,
});
const rankMetricsSchema = z.object({ auc: finite, gini: finite, ks: finite });

const confusionSchema = z.object({
  cutoff: finite,
  badRejected: z.number().int(),
  badApproved: z.number().int(),
  goodRejected: z.number().int(),
  goodApproved: z.number().int(),
  approvalRate: finite,
  approvedBadRate: finite,
  costs: z.object({ badApproved: finite, goodRejected: finite }),
  totalCost: finite,
  costPerApplicant: finite,
});

const calibrationSchema = z.array(
  z.object({
    pdFrom: finite,
    pdTo: finite,
    count: z.number().int(),
    meanPd: finite,
    observedBadRate: finite,
    bads: z.number().int(),
  }),
);

export const fairnessReportSchema = z.object({
  cutoffPd: finite,
  basis: z.string(),
  dimensions: z.array(
    z.object({
      dimension: z.string(),
      column: z.string(),
      groups: z.array(
        z.object({
          group: z.string(),
          count: z.number().int(),
          approved: z.number().int(),
          approvalRate: finite,
          badRate: finite,
        }),
      ),
      referenceGroup: z.string(),
      disparateImpactRatio: finite,
      passesFourFifthsRule: z.boolean(),
    }),
  ),
});

/** Version 1 of the scorecard artifact: everything needed to score, and how the model came to be. */
export const scorecardArtifactSchema = z.object({
  schema: z.literal('paylend.scorecard'),
  schemaVersion: z.literal(1),
  model: z.object({ name: z.string().min(1), version: z.number().int().positive() }),
  createdAt: z.string(),
  data: z.object({
    format: z.enum(['german', 'csv']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rows: z.number().int().positive(),
    goods: z.number().int(),
    bads: z.number().int(),
    target: z.string(),
    badValue: z.string(),
  }),
  training: z.object({
    seed: z.number().int(),
    folds: z.number().int(),
    binning: z.object({ minBinShare: finite, maxBins: z.number().int(), fineBins: z.number().int() }),
    minIv: finite,
    logistic: z.object({ l2: finite, maxIterations: z.number().int(), tolerance: finite }),
    iterations: z.number().int(),
    droppedForSign: z.array(z.string()),
  }),
  excluded: z.array(z.string()),
  candidates: z.array(
    z.object({
      attribute: z.string(),
      type: z.enum(['numeric', 'categorical']),
      iv: finite,
      selected: z.boolean(),
    }),
  ),
  intercept: finite,
  attributes: z.array(modelAttributeSchema).min(1),
  scaling: z.object({ baseScore: finite, baseOdds: finite, pdo: finite, minScore: finite, maxScore: finite }),
  basePoints: finite,
  grades: z.array(z.object({ grade: z.string().min(1), upperPd: finite })).min(1),
  decision: z.object({ cutoffPd: finite, costs: z.object({ badApproved: finite, goodRejected: finite }) }),
  scoreDistribution: z.object({ edges: z.array(finite), shares: z.array(finite) }),
  metrics: z.object({
    crossValidation: rankMetricsSchema.extend({ folds: z.array(foldSchema) }),
    training: rankMetricsSchema,
    outOfFold: z.object({ confusion: confusionSchema, calibration: calibrationSchema }),
    fairness: fairnessReportSchema,
  }),
});

export type ScorecardArtifact = z.infer<typeof scorecardArtifactSchema>;
export type ModelAttribute = z.infer<typeof modelAttributeSchema>;
export type ModelBin = ModelAttribute['bins'][number];
