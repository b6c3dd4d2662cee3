import { lnGamma } from '../math/ln-gamma';
import { logAddExp } from '../math/log-sum-exp';
import type { BgNbdParams, BgNbdSummary } from './bg-nbd.types';

/**
 * ln L(r, α, a, b | x, tₓ, T), Fader, Hardie & Lee (2005) eq. 6:
 *   L = A₁·A₂·(A₃ + δ(x>0)·A₄)
 *   ln A₁ = lnΓ(r+x) − lnΓ(r) + r ln α
 *   ln A₂ = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
 *   ln A₃ = −(r+x) ln(α+T)
 *   ln A₄ = ln a − ln(b+x−1) − (r+x) ln(α+tₓ)
 * The sum A₃ + A₄ is taken in log space: both terms underflow for frequent buyers.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, summary: BgNbdSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = summary;
  const lnA1 = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
  const lnA2 = lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  const lnA3 = -(r + x) * Math.log(alpha + T);
  const lnA4 =
    x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return lnA1 + lnA2 + logAddExp(lnA3, lnA4);
}

/** Sum of {@link bgNbdLogLikelihood} over customers (straightforward; the fit uses a grouped form). */
export function bgNbdTotalLogLikelihood(
  params: BgNbdParams,
  summaries: readonly BgNbdSummary[],
): number {
  let total = 0;
  for (const summary of summaries) total += bgNbdLogLikelihood(params, summary);
  return total;
}
