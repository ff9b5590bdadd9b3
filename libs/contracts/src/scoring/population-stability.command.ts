import { z } from 'zod';
import { replyEnvelope } from '../common/reply.schema';
import { defineCommand } from '../message-contract';

export const PopulationStabilityQuerySchema = z.object({ requestedBy: z.string().min(1).max(64) }).strict();

export const PopulationStabilitySchema = z
  .object({
    model: z.object({ name: z.string(), version: z.number().int().positive() }).strict(),
    /** PSI of the recent applications' scores against the training population; null below minSample. */
    psi: z.number().nonnegative().nullable(),
    status: z.enum(['stable', 'watch', 'drifted', 'insufficient-data']),
    threshold: z.number().positive(),
    sampleSize: z.number().int().nonnegative(),
    window: z.number().int().positive(),
    minSample: z.number().int().positive(),
    buckets: z.array(
      z
        .object({
          upperScore: z.number().nullable(),
          expectedShare: z.number(),
          actualShare: z.number(),
        })
        .strict(),
    ),
    alerting: z.boolean(),
    computedAt: z.iso.datetime(),
  })
  .strict();
export type PopulationStabilityDto = z.infer<typeof PopulationStabilitySchema>;

/** Operators (through the gateway) read the current population stability of the live model. */
export const PopulationStabilityCommand = defineCommand({
  context: 'scoring',
  command: 'population-stability',
  version: 1,
  schema: PopulationStabilityQuerySchema,
  reply: replyEnvelope(PopulationStabilitySchema),
  key: (v) => v.requestedBy,
});
