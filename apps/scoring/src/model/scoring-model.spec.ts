import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@paylend/platform';
import { loadScoringModel } from './scoring-model';

describe('loadScoringModel', () => {
  it('loads the shipped reference model', () => {
    const model = loadScoringModel(
      join(__dirname, '../../../../libs/scorecard/models/german-credit.v1.json'),
    );
    expect(model.artifact.model).toEqual({ name: 'german-credit', version: 1 });
  });

  it('stops start-up with a ConfigError naming SCORING_MODEL_FILE for a missing or unusable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scoring-model-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schema":"paylend.scorecard"}');
    for (const file of [join(dir, 'missing.json'), broken]) {
      let thrown: unknown;
      try {
        loadScoringModel(file);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toContain(`SCORING_MODEL_FILE: `);
      expect((thrown as ConfigError).message).toContain(file);
    }
  });
});
