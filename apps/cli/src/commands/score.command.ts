import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  evaluateModel,
  loadDataset,
  loadModel,
  parseDataFormat,
  resolveExcluded,
  scoreApplication,
  ScorecardError,
  trainScorecard,
  applicationInputSchema,
  type FairnessReport,
  type LoadDatasetOptions,
} from '@paylend/scorecard';

interface DataFlags {
  data: string;
  format: string;
  target?: string;
  bad?: string;
  numeric?: string[];
  categorical?: string[];
  json?: boolean;
}

interface TrainFlags extends DataFlags {
  exclude?: string[];
  folds: number;
  seed: number;
  out?: string;
  name: string;
  modelVersion: number;
  minIv?: number;
  l2?: number;
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function integer(name: string) {
  return (v: string) => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be an integer`);
    return Number(v);
  };
}

function decimal(name: string) {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a number`);
    return x;
  };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScorecardError(
      'INVALID_OPTION',
      `cannot read ${what} "${path}": ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function datasetFrom(flags: DataFlags) {
  const opts: LoadDatasetOptions = { format: parseDataFormat(flags.format) };
  if (flags.target !== undefined) opts.target = flags.target;
  if (flags.bad !== undefined) opts.bad = flags.bad;
  if (flags.numeric) opts.numeric = flags.numeric;
  if (flags.categorical) opts.categorical = flags.categorical;
  return loadDataset(readText(flags.data, 'data file'), opts);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

function fairnessLines(report: FairnessReport): string[] {
  const lines = [`fairness (approved when PD <= ${f3(report.cutoffPd)}; ${report.basis}):`];
  for (const d of report.dimensions) {
    const groups = d.groups.map((g) => `${g.group} ${pct(g.approvalRate)} of ${g.count}`).join(', ');
    lines.push(
      `  ${d.dimension} [from ${d.column}]: ${groups}; disparate impact ratio ${f3(d.disparateImpactRatio)}${d.passesFourFifthsRule ? '' : ' (below 0.8)'}`,
    );
  }
  return lines;
}

/** Runs a handler, turning a ScorecardError into a message on stderr and exit code 1. */
function guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      if (!(err instanceof ScorecardError)) throw err;
      process.stderr.write(`paylend score: ${err.message}\n`);
      process.exitCode = 1;
    }
  };
}

function addDataOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--data <file>', 'labelled data file')
    .requiredOption('--format <format>', 'german (UCI german.data layout) or csv (header row)')
    .option('--target <column>', 'csv: the target column')
    .option('--bad <value>', 'csv: the target value meaning bad (default: a 0/1 target with 1 = bad)')
    .option('--numeric <columns>', 'csv: columns to treat as numeric', list)
    .option('--categorical <columns>', 'csv: columns to treat as categorical', list)
    .option('--json', 'print the metrics as JSON');
}

export function registerScoreCommand(program: Command): void {
  const score = program
    .command('score')
    .description('credit scorecards: train, evaluate, score one application');

  addDataOptions(
    score.command('train').description('cross-validate, then fit a WoE logistic scorecard on all the data'),
  )
    .option(
      '--exclude <attributes>',
      'attributes to leave out (german: numbers 1..20 or names); protected ones are always left out',
      list,
    )
    .option('--folds <k>', 'stratified cross-validation folds', integer('--folds'), 5)
    .option('--seed <n>', 'seed of the fold shuffle', integer('--seed'), 42)
    .option('--min-iv <iv>', 'minimum information value to keep an attribute', decimal('--min-iv'))
    .option('--l2 <lambda>', 'L2 penalty of the logistic regression', decimal('--l2'))
    .option('--name <name>', 'model name in the artifact', 'scorecard')
    .option('--model-version <n>', 'model version in the artifact', integer('--model-version'), 1)
    .option('--out <file>', 'write the model artifact (JSON) here')
    .action(
      guarded((flags: TrainFlags) => {
        const dataset = datasetFrom(flags);
        const artifact = trainScorecard(dataset, {
          name: flags.name,
          version: flags.modelVersion,
          folds: flags.folds,
          seed: flags.seed,
          exclude: resolveExcluded(parseDataFormat(flags.format), flags.exclude ?? []),
          ...(flags.minIv !== undefined ? { minIv: flags.minIv } : {}),
          ...(flags.l2 !== undefined
            ? { logistic: { l2: flags.l2, maxIterations: 100, tolerance: 1e-9 } }
            : {}),
        });
        if (flags.out) writeFileSync(flags.out, JSON.stringify(artifact, null, 2) + '\n');
        const cv = artifact.metrics.crossValidation;
        if (flags.json) {
          const out = {
            auc: cv.auc,
            gini: cv.gini,
            ks: cv.ks,
            folds: cv.folds,
            excluded: artifact.excluded,
            selected: artifact.attributes.map((a) => a.attribute),
            training: artifact.metrics.training,
            confusion: artifact.metrics.outOfFold.confusion,
            calibration: artifact.metrics.outOfFold.calibration,
            fairness: artifact.metrics.fairness,
            model: { ...artifact.model, dataSha256: artifact.data.sha256, out: flags.out ?? null },
          };
          process.stdout.write(JSON.stringify(out, null, 2) + '\n');
          return;
        }
        const c = artifact.metrics.outOfFold.confusion;
        const lines = [
          `${cv.folds.length}-fold cross-validation (seed ${artifact.training.seed}): AUC ${f3(cv.auc)}  Gini ${f3(cv.gini)}  KS ${f3(cv.ks)}`,
          ...cv.folds.map(
            (f) =>
              `  fold ${f.fold}: AUC ${f3(f.auc)}  Gini ${f3(f.gini)}  KS ${f3(f.ks)}  PSI ${f3(f.psiTrainVsHoldout)}`,
          ),
          `excluded: ${artifact.excluded.join(', ') || '(none)'}`,
          `attributes: ${artifact.attributes.map((a) => `${a.attribute} (IV ${f3(a.iv)})`).join(', ')}`,
          `cut-off PD ${f3(c.cutoff)}: approve ${pct(c.approvalRate)}, bad among approved ${pct(c.approvedBadRate)}, cost ${c.totalCost} (${f3(c.costPerApplicant)} per applicant)`,
          ...fairnessLines(artifact.metrics.fairness),
          flags.out ? `wrote ${flags.out}` : 'no --out given: artifact not written',
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );

  addDataOptions(score.command('evaluate').description('metrics of a trained model on labelled data'))
    .requiredOption('--model <artifact>', 'model artifact (JSON)')
    .action(
      guarded((flags: DataFlags & { model: string }) => {
        const model = loadModel(readText(flags.model, 'model'));
        const report = evaluateModel(model, datasetFrom(flags));
        if (flags.json) {
          process.stdout.write(JSON.stringify({ ...report, folds: [] }, null, 2) + '\n');
          return;
        }
        const c = report.confusion;
        const lines = [
          `${report.model.name} v${report.model.version} on ${report.rows} rows (${report.bads} bad): AUC ${f3(report.auc)}  Gini ${f3(report.gini)}  KS ${f3(report.ks)}  PSI vs training ${f3(report.psi)}`,
          `excluded: ${report.excluded.join(', ') || '(none)'}`,
          `cut-off PD ${f3(c.cutoff)}: approve ${pct(c.approvalRate)}, bad among approved ${pct(c.approvedBadRate)}, cost ${c.totalCost}`,
          ...fairnessLines(report.fairness),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );

  score
    .command('application')
    .description('score one application given as a JSON object of attribute values')
    .requiredOption('--model <artifact>', 'model artifact (JSON)')
    .requiredOption(
      '--input <json>',
      'the application, e.g. {"checking_account":"A11","duration_months":24,...}',
    )
    .action(
      guarded((flags: { model: string; input: string }) => {
        const model = loadModel(readText(flags.model, 'model'));
        let raw: unknown;
        try {
          raw = JSON.parse(flags.input);
        } catch {
          throw new ScorecardError('INVALID_OPTION', '--input must be a JSON object');
        }
        const parsed = applicationInputSchema.safeParse(raw);
        if (!parsed.success) {
          const messages = parsed.error.issues.map((i) => i.message);
          const refused = messages.find((m) => m.startsWith('PROTECTED_ATTRIBUTE: '));
          if (refused)
            throw new ScorecardError('PROTECTED_ATTRIBUTE', refused.slice('PROTECTED_ATTRIBUTE: '.length));
          throw new ScorecardError('INVALID_VALUE', `--input: ${messages.join('; ')}`);
        }
        process.stdout.write(JSON.stringify(scoreApplication(model, parsed.data), null, 2) + '\n');
      }),
    );
}
