import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applicationInputSchema,
  loadModel,
  parseGermanCredit,
  scoreApplication,
  type Application,
} from '@paylend/scorecard';
import type { BenchMetric } from '@paylend/testing';

const ROOT = join(__dirname, '..');
const MODEL_FILE = join(ROOT, 'libs', 'scorecard', 'models', 'german-credit.v1.json');
const DATA_FILE = join(ROOT, 'libs', 'scorecard', 'data', 'german-credit', 'german.data');

export interface InProcessScoringResult {
  metrics: Record<string, BenchMetric>;
  notes: string;
}

/** Calls `score(i)` for i = 0, 1, ... for about `seconds`, after a warm-up; returns calls per second. */
function throughput(
  score: (i: number) => number,
  seconds: number,
  warmup: number,
): { perSecond: number; calls: number; checksum: number } {
  let checksum = 0;
  for (let i = 0; i < warmup; i++) checksum += score(i);
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let calls = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let k = 0; k < 1000; k++) checksum += score(calls + k);
    calls += 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  return { perSecond: calls / (Number(elapsed) / 1e9), calls, checksum };
}

/**
 * Scores the German credit applicants (protected attributes removed) with the shipped reference model:
 * the real path (model loaded once, `scoreApplication` per call), the same with the zod input schema a
 * service applies at its boundary, and a naive baseline that parses and validates the model JSON on
 * every call.
 */
export function measureInProcessScoring(seconds = 3): InProcessScoringResult {
  const json = readFileSync(MODEL_FILE, 'utf8');
  const model = loadModel(json);
  const dataset = parseGermanCredit(readFileSync(DATA_FILE, 'utf8'));
  const names = model.attributes.map((a) => a.name);
  const apps: Application[] = dataset.rows.map((row) =>
    Object.fromEntries(names.map((n) => [n, row[n] ?? null])),
  );
  const n = apps.length;

  const fast = throughput((i) => scoreApplication(model, apps[i % n]).pd, seconds, 20_000);
  const validated = throughput(
    (i) => scoreApplication(model, applicationInputSchema.parse(apps[i % n])).pd,
    seconds,
    5_000,
  );
  const naive = throughput(
    (i) => scoreApplication(loadModel(json), apps[i % n]).pd,
    Math.min(seconds, 2),
    200,
  );

  // Both paths must agree, or the comparison is meaningless.
  for (let i = 0; i < n; i += 97) {
    if (scoreApplication(loadModel(json), apps[i]).pd !== scoreApplication(model, apps[i]).pd)
      throw new Error(`naive and fast paths disagree on applicant ${i}`);
  }

  return {
    metrics: {
      scores_per_s: { value: Math.round(fast.perSecond), unit: 'scores/s', target: 50_000 },
      validated_scores_per_s: { value: Math.round(validated.perSecond), unit: 'scores/s' },
      naive_reparse_scores_per_s: { value: Math.round(naive.perSecond), unit: 'scores/s' },
      speedup_vs_naive: { value: fast.perSecond / naive.perSecond, unit: 'ratio' },
    },
    notes:
      `In-process scoring of the ${n} German credit applicants with ${model.artifact.model.name} v${model.artifact.model.version} ` +
      `(${names.length} attributes, reason codes included), single thread. scores_per_s: model loaded once; ` +
      `validated_scores_per_s: plus the zod application schema per call; naive_reparse_scores_per_s: JSON.parse + artifact ` +
      `validation + compile on every call (baseline). Calls: ${fast.calls} / ${validated.calls} / ${naive.calls}.`,
  };
}
