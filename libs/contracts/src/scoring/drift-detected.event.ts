import { z } from 'zod';
import { defineEvent } from '../message-contract';

export const ModelDriftDetectedSchema = z
  .object({
    model: z.object({ name: z.string(), version: z.number().int().positive() }).strict(),
    psi: z.number().nonnegative(),
    threshold: z.number().positive(),
    sampleSize: z.number().int().positive(),
    detectedAt: z.iso.datetime(),
  })
  .strict();
export type ModelDriftDetected = z.infer<typeof ModelDriftDetectedSchema>;

/**
 * Raised once each time the recent applications' population stability index crosses above the threshold
 * (0.25 by default); raised again only after it has fallen back below.
 */
export const ModelDriftDetected = defineEvent({
  context: 'scoring',
  entity: 'model',
  event: 'drift-detected',
  version: 1,
  schema: ModelDriftDetectedSchema,
  key: (v) => `${v.model.name}.v${v.model.version}`,
});
