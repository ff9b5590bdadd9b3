import type { AttributeValue } from '../binning/attribute-binning';
import { isProtectedAttribute } from '../dataset/protected-attributes';
import { ScorecardError } from '../errors';
import { gradeOf, validateGrades, type GradeBand } from '../grading/grades';
import { sigmoid } from '../regression/logistic-regression';
import { rawScore, validateScaling, type ScalingConfig } from '../scaling/points-scaling';
import { scorecardArtifactSchema, type ScorecardArtifact } from './artifact';

export type Application = Readonly<Record<string, AttributeValue>>;

export interface ReasonCode {
  attribute: string;
  /** The bin the applicant fell in, e.g. "(12, 24]" or "A11". */
  bin: string;
  value: AttributeValue;
  points: number;
  /** Points of the attribute's best bin. */
  bestPoints: number;
  /** bestPoints − points: what this attribute cost the applicant. */
  pointsLost: number;
}

export interface ScoreResult {
  pd: number;
  score: number;
  grade: string;
  subGrade: string;
  reasonCodes: ReasonCode[];
}

interface CompiledAttribute {
  name: string;
  numeric: boolean;
  /** Upper bounds of the range bins in order (Infinity for the open one) and their bin indexes. */
  uppers: number[];
  rangeBins: number[];
  categories: Map<string, number>;
  missingBin: number;
  labels: string[];
  /** coefficient · WoE per bin: this attribute's share of the log-odds of bad. */
  logit: number[];
  points: number[];
  bestPoints: number;
  knownCategories: string;
}

/** A loaded, validated scorecard, with lookups built once so scoring one application is cheap. */
export interface Scorecard {
  readonly artifact: ScorecardArtifact;
  readonly attributes: readonly CompiledAttribute[];
  readonly byName: ReadonlyMap<string, CompiledAttribute>;
  readonly intercept: number;
  readonly scaling: ScalingConfig;
  readonly grades: readonly GradeBand[];
}

/** Validates a scorecard artifact (a JSON string or a parsed object) and prepares it for scoring. */
export function loadModel(json: string | unknown): Scorecard {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (err) {
      throw new ScorecardError(
        'INVALID_MODEL',
        `the model is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const parsed = scorecardArtifactSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScorecardError(
      'INVALID_MODEL',
      `the model artifact is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return compile(parsed.data);
}

/** Builds lookups for an artifact whose shape is valid, refusing one whose numbers cannot score. */
export function compile(artifact: ScorecardArtifact): Scorecard {
  // The schema checks shapes; these check meaning (a zero points-to-double-odds would give every applicant
  // the same score, and a distribution with a share missing breaks drift monitoring at scoring time).
  try {
    validateScaling(artifact.scaling);
    validateGrades(artifact.grades);
  } catch (err) {
    if (err instanceof ScorecardError) throw new ScorecardError('INVALID_MODEL', err.detail);
    throw err;
  }
  const { edges, shares } = artifact.scoreDistribution;
  // Empty while a model is being trained (the distribution is measured on the compiled model).
  const measured = edges.length > 0 || shares.length > 0;
  if (measured && shares.length !== edges.length + 1) {
    throw new ScorecardError(
      'INVALID_MODEL',
      `scoreDistribution: ${edges.length} edges need ${edges.length + 1} shares, got ${shares.length}`,
    );
  }
  const attributes = artifact.attributes.map((a): CompiledAttribute => {
    if (isProtectedAttribute(a.attribute)) {
      throw new ScorecardError(
        'INVALID_MODEL',
        `the model uses protected attribute "${a.attribute}"; retrain without it`,
      );
    }
    const uppers: number[] = [];
    const rangeBins: number[] = [];
    const categories = new Map<string, number>();
    a.bins.forEach((b, i) => {
      if (b.kind === 'range') {
        uppers.push(b.upper ?? Number.POSITIVE_INFINITY);
        rangeBins.push(i);
      } else if (b.kind === 'categories') for (const c of b.categories) categories.set(c, i);
    });
    if (
      a.type === 'numeric' &&
      (uppers.length === 0 || uppers[uppers.length - 1] !== Number.POSITIVE_INFINITY)
    ) {
      throw new ScorecardError(
        'INVALID_MODEL',
        `attribute "${a.attribute}": the last range bin must be open-ended (upper null)`,
      );
    }
    if (a.missingBin !== null && a.missingBin >= a.bins.length) {
      throw new ScorecardError(
        'INVALID_MODEL',
        `attribute "${a.attribute}": missingBin ${a.missingBin} is not a bin`,
      );
    }
    const points = a.bins.map((b) => b.points);
    return {
      name: a.attribute,
      numeric: a.type === 'numeric',
      uppers,
      rangeBins,
      categories,
      missingBin: a.missingBin ?? -1,
      labels: a.bins.map((b) => b.label),
      logit: a.bins.map((b) => a.coefficient * b.woe),
      points,
      bestPoints: Math.max(...points),
      knownCategories: [...categories.keys()].sort().join(', '),
    };
  });
  return {
    artifact,
    attributes,
    byName: new Map(attributes.map((a) => [a.name, a])),
    intercept: artifact.intercept,
    scaling: artifact.scaling,
    grades: artifact.grades,
  };
}

function binOf(a: CompiledAttribute, value: AttributeValue | undefined): number {
  if (value === null || value === undefined) {
    if (a.missingBin < 0) throw new ScorecardError('MISSING_VALUE', `attribute "${a.name}" is required`);
    return a.missingBin;
  }
  if (a.numeric) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ScorecardError(
        'INVALID_VALUE',
        `attribute "${a.name}" must be a finite number, got ${JSON.stringify(value)}`,
      );
    }
    const uppers = a.uppers;
    let k = 0;
    while (value > uppers[k]) k++;
    return a.rangeBins[k];
  }
  if (typeof value !== 'string') {
    throw new ScorecardError(
      'INVALID_VALUE',
      `attribute "${a.name}" is categorical and must be a string, got ${JSON.stringify(value)}`,
    );
  }
  const bin = a.categories.get(value);
  if (bin === undefined)
    throw new ScorecardError(
      'UNKNOWN_CATEGORY',
      `attribute "${a.name}" has no category ${JSON.stringify(value)}; known: ${a.knownCategories}`,
    );
  return bin;
}

/** Refuses protected and unknown attributes: an input the model does not use is a caller's mistake. */
function checkKeys(model: Scorecard, application: Application): void {
  for (const key in application) {
    if (model.byName.has(key)) continue;
    if (isProtectedAttribute(key)) {
      throw new ScorecardError(
        'PROTECTED_ATTRIBUTE',
        `"${key}" is a protected attribute and may not be sent for scoring; remove it`,
      );
    }
    throw new ScorecardError(
      'UNKNOWN_ATTRIBUTE',
      `the model has no attribute "${key}"; it uses ${model.attributes.map((a) => a.name).join(', ')}`,
    );
  }
}

/** Log-odds of bad for an application (no reason codes); used for bulk evaluation. */
export function logOddsBad(model: Scorecard, application: Application): number {
  checkKeys(model, application);
  let z = model.intercept;
  for (const a of model.attributes) z += a.logit[binOf(a, application[a.name])];
  return z;
}

/** PD, score, grade and the attributes that cost the applicant the most points against their best bin. */
export function scoreApplication(model: Scorecard, application: Application, maxReasons = 4): ScoreResult {
  checkKeys(model, application);
  let z = model.intercept;
  const reasons: ReasonCode[] = [];
  for (const a of model.attributes) {
    const value = application[a.name] ?? null;
    const bin = binOf(a, value);
    z += a.logit[bin];
    const lost = a.bestPoints - a.points[bin];
    if (lost > 0)
      reasons.push({
        attribute: a.name,
        bin: a.labels[bin],
        value,
        points: a.points[bin],
        bestPoints: a.bestPoints,
        pointsLost: lost,
      });
  }
  reasons.sort((p, q) => q.pointsLost - p.pointsLost || (p.attribute < q.attribute ? -1 : 1));
  if (reasons.length > maxReasons) reasons.length = maxReasons;
  const pd = sigmoid(z);
  const { grade, subGrade } = gradeOf(pd, model.grades);
  const s = model.scaling;
  return {
    pd,
    score: Math.min(s.maxScore, Math.max(s.minScore, Math.round(rawScore(z, s)))),
    grade,
    subGrade,
    reasonCodes: reasons,
  };
}
