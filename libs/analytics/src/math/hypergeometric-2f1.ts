import { InvalidAnalyticsInputError, NumericalConvergenceError } from '../shared/analytics.errors';

export interface Hyp2F1Options {
  /** Stop when a term is below this fraction of the running sum. */
  readonly relativeTolerance?: number;
  readonly maxTerms?: number;
}

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1 (the
 * range BG/NBD needs: z = t / (α + T + t)). The series converges there but slowly as z → 1,
 * hence the term budget; running out of it throws rather than returning a wrong number.
 */
export function hyp2f1(
  a: number,
  b: number,
  c: number,
  z: number,
  options: Hyp2F1Options = {},
): number {
  const tolerance = options.relativeTolerance ?? 1e-15;
  const maxTerms = options.maxTerms ?? 1_000_000;
  if (!(z >= 0 && z < 1)) {
    throw new InvalidAnalyticsInputError('hyp2f1 series needs 0 <= z < 1', { z });
  }
  if (c <= 0 && Number.isInteger(c)) {
    throw new InvalidAnalyticsInputError('hyp2f1 is undefined for c = 0, -1, -2, …', { c });
  }
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= tolerance * Math.abs(sum)) return sum;
  }
  throw new NumericalConvergenceError('hyp2f1 series did not converge', { a, b, c, z, maxTerms });
}
