import { InvalidAnalyticsInputError } from '../shared/analytics.errors';

export interface ValueAndGradient {
  readonly value: number;
  readonly gradient: readonly number[];
}

export interface BfgsOptions {
  readonly maxIterations?: number;
  /** Converged when no gradient component exceeds this. */
  readonly gradientTolerance?: number;
  /** Converged when a step improves the value by no more than this, relative to it. */
  readonly functionTolerance?: number;
  /** Longest move along any axis in one step: keeps the first steps, taken before the
   * curvature is known, from leaping into regions where the objective overflows. */
  readonly maxStep?: number;
}

export interface BfgsResult {
  readonly point: readonly number[];
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

// Armijo's sufficient-decrease constant, the usual choice.
const SUFFICIENT_DECREASE = 1e-4;

/**
 * Unconstrained minimisation by BFGS (Nocedal & Wright, Numerical Optimization, alg. 6.1) with
 * a backtracking line search. A non-finite value counts as +∞, so the search backs away from
 * it. With the gradient at hand it needs tens of evaluations where a simplex method needs
 * thousands. Converged means the gradient vanished, a step no longer improved the value
 * measurably, or no step along steepest descent decreases it at machine precision.
 */
export function minimizeBfgs(
  objective: (point: readonly number[]) => ValueAndGradient,
  start: readonly number[],
  options: BfgsOptions = {},
): BfgsResult {
  const maxIterations = options.maxIterations ?? 200;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const functionTolerance = options.functionTolerance ?? 1e-12;
  const maxStep = options.maxStep ?? 2;
  const n = start.length;
  let evaluations = 1;
  let point = [...start];
  let { value, gradient } = objective(point);
  if (!Number.isFinite(value) || gradient.some((g) => !Number.isFinite(g))) {
    throw new InvalidAnalyticsInputError('BFGS needs a finite objective at its starting point', {
      value,
    });
  }
  let inverseHessian = identity(n);
  let scaled = false;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    if (largest(gradient) <= gradientTolerance) {
      converged = true;
      break;
    }
    iterations++;
    let direction = times(inverseHessian, gradient).map((d) => -d);
    if (dot(gradient, direction) >= 0) {
      // Curvature information gone bad (rounding): start again from steepest descent.
      inverseHessian = identity(n);
      direction = gradient.map((g) => -g);
    }
    let step = searchLine(objective, point, value, gradient, direction, maxStep);
    evaluations += step.evaluations;
    if (!step.found && !isIdentity(inverseHessian)) {
      inverseHessian = identity(n);
      direction = gradient.map((g) => -g);
      step = searchLine(objective, point, value, gradient, direction, maxStep);
      evaluations += step.evaluations;
    }
    if (!step.found) {
      converged = true;
      break;
    }
    const s = step.point.map((x, i) => x - point[i]);
    const y = step.gradient.map((g, i) => g - gradient[i]);
    const improvement = value - step.value;
    point = step.point;
    value = step.value;
    gradient = step.gradient;
    const sy = dot(s, y);
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        // Nocedal & Wright (6.20): size the first guess of the inverse Hessian to the problem.
        inverseHessian = identity(n, sy / dot(y, y));
        scaled = true;
      }
      inverseHessian = updated(inverseHessian, s, y, sy);
    }
    if (improvement <= functionTolerance * (1 + Math.abs(value))) {
      converged = true;
      break;
    }
  }
  return { point, value, iterations, evaluations, converged };
}

interface LineStep extends ValueAndGradient {
  readonly found: boolean;
  readonly point: number[];
  readonly evaluations: number;
}

function searchLine(
  objective: (point: readonly number[]) => ValueAndGradient,
  from: readonly number[],
  value: number,
  gradient: readonly number[],
  direction: readonly number[],
  maxStep: number,
): LineStep {
  const slope = dot(gradient, direction);
  const longest = largest(direction);
  const floor = 1e-15 * (1 + largest(from));
  let length = Math.min(1, maxStep / longest);
  let evaluations = 0;
  while (length * longest > floor) {
    const point = from.map((x, i) => x + length * direction[i]);
    const next = objective(point);
    evaluations++;
    if (
      Number.isFinite(next.value) &&
      next.value <= value + SUFFICIENT_DECREASE * length * slope &&
      next.gradient.every((g) => Number.isFinite(g))
    ) {
      return { found: true, point, value: next.value, gradient: next.gradient, evaluations };
    }
    length /= 2;
  }
  return { found: false, point: [...from], value, gradient, evaluations };
}

/** H⁺ = (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ with ρ = 1/sᵀy, expanded for a symmetric H. */
function updated(h: number[][], s: number[], y: number[], sy: number): number[][] {
  const hy = times(h, y);
  const yhy = dot(y, hy);
  return h.map((row, i) =>
    row.map(
      (v, j) => v + ((sy + yhy) * s[i] * s[j]) / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy,
    ),
  );
}

function identity(n: number, scale = 1): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? scale : 0)),
  );
}

function isIdentity(m: number[][]): boolean {
  return m.every((row, i) => row.every((v, j) => v === (i === j ? 1 : 0)));
}

function times(m: number[][], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}

function dot(u: readonly number[], v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i] * v[i];
  return sum;
}

function largest(v: readonly number[]): number {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  return max;
}
