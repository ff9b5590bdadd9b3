import { ScorecardError } from '../errors';

/**
 * Score = offset + factor · ln(good:bad odds), with factor = pdo / ln 2 and offset chosen so that
 * baseOdds maps to baseScore. The default puts 30:1 odds at 660 and doubles the odds every 40 points,
 * which with the 300–850 clamp gives the familiar consumer-credit range (PD 30% ≈ 512, PD 1% ≈ 729).
 */
export interface ScalingConfig {
  baseScore: number;
  baseOdds: number;
  pdo: number;
  minScore: number;
  maxScore: number;
}

export const DEFAULT_SCALING: ScalingConfig = {
  baseScore: 660,
  baseOdds: 30,
  pdo: 40,
  minScore: 300,
  maxScore: 850,
};

export function validateScaling(s: ScalingConfig): ScalingConfig {
  if (!(s.pdo > 0))
    throw new ScorecardError('INVALID_OPTION', `scaling: points-to-double-odds must be > 0, got ${s.pdo}`);
  if (!(s.baseOdds > 0))
    throw new ScorecardError('INVALID_OPTION', `scaling: base odds must be > 0, got ${s.baseOdds}`);
  if (!(s.minScore < s.maxScore))
    throw new ScorecardError(
      'INVALID_OPTION',
      `scaling: minScore ${s.minScore} must be below maxScore ${s.maxScore}`,
    );
  if (!Number.isFinite(s.baseScore))
    throw new ScorecardError('INVALID_OPTION', 'scaling: base score must be a finite number');
  return s;
}

export function scalingFactor(s: ScalingConfig): number {
  return s.pdo / Math.LN2;
}

export function scalingOffset(s: ScalingConfig): number {
  return s.baseScore - scalingFactor(s) * Math.log(s.baseOdds);
}

/** Unclamped score for a log-odds of bad (the logistic model's linear predictor). */
export function rawScore(logOddsBad: number, s: ScalingConfig): number {
  return scalingOffset(s) - scalingFactor(s) * logOddsBad;
}

/** Whole-point score in [minScore, maxScore]. */
export function scaledScore(logOddsBad: number, s: ScalingConfig): number {
  return Math.min(s.maxScore, Math.max(s.minScore, Math.round(rawScore(logOddsBad, s))));
}
