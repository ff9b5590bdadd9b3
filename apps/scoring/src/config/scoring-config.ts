import { join } from 'node:path';
import { z } from 'zod';
import { BaseConfigSchema } from '@paylend/platform';

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

/** The scoring service's settings on top of every service's; each is validated at start-up. */
export const ScoringConfigSchema = BaseConfigSchema.extend({
  SCORING_MODEL_FILE: z
    .string()
    .min(1)
    .default(join(WORKSPACE_ROOT, 'libs', 'scorecard', 'models', 'german-credit.v1.json')),
  /** How many of the most recent applications the population stability index is measured on. */
  SCORING_PSI_WINDOW: z.coerce.number().int().min(10).max(100_000).default(1000),
  /** Below this many recent applications the index is not computed (too noisy to alert on). */
  SCORING_PSI_MIN_SAMPLE: z.coerce.number().int().min(10).max(100_000).default(200),
  /** The drift check runs in the transaction of every N-th decision. */
  SCORING_PSI_CHECK_EVERY: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Above this PSI the drift alert is raised (0.25 is the usual "significant shift"). */
  SCORING_PSI_ALERT_THRESHOLD: z.coerce.number().positive().max(10).default(0.25),
});
export type ScoringConfig = z.infer<typeof ScoringConfigSchema>;

export interface DriftSettings {
  window: number;
  minSample: number;
  checkEvery: number;
  threshold: number;
}

export function driftSettingsOf(config: ScoringConfig): DriftSettings {
  return {
    window: config.SCORING_PSI_WINDOW,
    minSample: Math.min(config.SCORING_PSI_MIN_SAMPLE, config.SCORING_PSI_WINDOW),
    checkEvery: config.SCORING_PSI_CHECK_EVERY,
    threshold: config.SCORING_PSI_ALERT_THRESHOLD,
  };
}
