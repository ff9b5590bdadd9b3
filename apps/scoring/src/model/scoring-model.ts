import { readFileSync } from 'node:fs';
import { ConfigError } from '@paylend/platform';
import { loadModel, type Scorecard } from '@paylend/scorecard';

export const SCORING_MODEL = Symbol('SCORING_MODEL');
export const DRIFT_SETTINGS = Symbol('DRIFT_SETTINGS');
export const CLOCK = Symbol('CLOCK');

/** Loads and validates the model artifact once at start-up; a bad file stops the service, naming it. */
export function loadScoringModel(file: string): Scorecard {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('scoring', [`SCORING_MODEL_FILE: cannot read ${file} (${(err as Error).message})`]);
  }
  try {
    return loadModel(text);
  } catch (err) {
    throw new ConfigError('scoring', [
      `SCORING_MODEL_FILE: ${file} is not a usable scorecard: ${(err as Error).message}`,
    ]);
  }
}
