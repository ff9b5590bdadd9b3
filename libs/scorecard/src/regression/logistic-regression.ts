import { ScorecardError } from '../errors';

export interface LogisticOptions {
  /** L2 penalty on the coefficients (never on the intercept): maximises loglik − λ/2·Σβ². */
  l2: number;
  maxIterations: number;
  /** Converged when the largest Newton step falls below this. */
  tolerance: number;
}

export const DEFAULT_LOGISTIC: LogisticOptions = { l2: 1, maxIterations: 100, tolerance: 1e-9 };

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  /** Penalised log-likelihood at the solution. */
  objective: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Solves A·x = b for a symmetric positive-definite A by Cholesky factorisation. */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0))
          throw new ScorecardError(
            'NOT_CONVERGED',
            'logistic regression: the Hessian is not positive definite; raise the L2 penalty or drop collinear attributes',
          );
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

function objective(
  x: readonly (readonly number[])[],
  y: readonly number[],
  beta: number[],
  l2: number,
): number {
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    let z = beta[0];
    for (let j = 0; j < x[i].length; j++) z += beta[j + 1] * x[i][j];
    // log(1 + e^z) computed without overflow.
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    ll += y[i] * z - softplus;
  }
  let penalty = 0;
  for (let j = 1; j < beta.length; j++) penalty += beta[j] * beta[j];
  return ll - (l2 / 2) * penalty;
}

/**
 * L2-regularised logistic regression of y (1 = bad) on x by Newton–Raphson with step halving. Throws
 * NOT_CONVERGED rather than returning coefficients that did not settle.
 */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  opts: LogisticOptions = DEFAULT_LOGISTIC,
): LogisticFit {
  const n = x.length;
  if (n === 0 || n !== y.length)
    throw new ScorecardError(
      'INVALID_DATA',
      `logistic regression: ${n} rows and ${y.length} outcomes; need one outcome per row and at least one row`,
    );
  const p = x[0].length;
  if (x.some((row) => row.length !== p || row.some((v) => !Number.isFinite(v)))) {
    throw new ScorecardError('INVALID_DATA', `logistic regression: every row needs ${p} finite values`);
  }
  if (!(opts.l2 >= 0))
    throw new ScorecardError('INVALID_OPTION', `logistic regression: l2 must be >= 0, got ${opts.l2}`);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  if (mean <= 0 || mean >= 1)
    throw new ScorecardError('EMPTY_SAMPLE', 'logistic regression: the outcomes need both goods and bads');
  const beta = new Array<number>(p + 1).fill(0);
  beta[0] = Math.log(mean / (1 - mean));
  let current = objective(x, y, beta, opts.l2);
  for (let iter = 1; iter <= opts.maxIterations; iter++) {
    const grad = new Array<number>(p + 1).fill(0);
    const hess = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const row = x[i];
      let z = beta[0];
      for (let j = 0; j < p; j++) z += beta[j + 1] * row[j];
      const mu = sigmoid(z);
      const w = mu * (1 - mu);
      const r = y[i] - mu;
      grad[0] += r;
      hess[0][0] += w;
      for (let j = 0; j < p; j++) {
        grad[j + 1] += r * row[j];
        hess[j + 1][0] += w * row[j];
        for (let k = 0; k <= j; k++) hess[j + 1][k + 1] += w * row[j] * row[k];
      }
    }
    for (let j = 1; j <= p; j++) {
      grad[j] -= opts.l2 * beta[j];
      hess[j][j] += opts.l2;
      for (let k = 0; k < j; k++) hess[k][j] = hess[j][k]; // mirror the accumulated lower triangle
    }
    const step = solveSpd(hess, grad);
    let scale = 1;
    let candidate = beta.map((b, j) => b + step[j]);
    let value = objective(x, y, candidate, opts.l2);
    while (value < current - 1e-12 && scale > 1e-6) {
      scale /= 2;
      candidate = beta.map((b, j) => b + scale * step[j]);
      value = objective(x, y, candidate, opts.l2);
    }
    const maxStep = Math.max(...step.map((s) => Math.abs(s * scale)));
    for (let j = 0; j <= p; j++) beta[j] = candidate[j];
    current = value;
    if (!beta.every(Number.isFinite)) break;
    // A small gradient alone is not enough: on separable data it vanishes while the coefficients run off.
    if (maxStep < opts.tolerance) {
      return { intercept: beta[0], coefficients: beta.slice(1), iterations: iter, objective: current };
    }
  }
  throw new ScorecardError(
    'NOT_CONVERGED',
    `logistic regression did not converge in ${opts.maxIterations} iterations; the data may be separable: raise the L2 penalty or the iteration limit`,
  );
}
