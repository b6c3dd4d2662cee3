import { hyp2f1 } from '../math/hypergeometric-2f1';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { assertValidSummary } from './bg-nbd.summary';
import type { BgNbdParams, BgNbdSummary } from './bg-nbd.types';

/**
 * P(alive | x, tₓ, T): the probability the customer has not dropped out by T
 * (Fader, Hardie & Lee 2005, eq. 13):
 *   1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))
 * A customer without repeat purchases is alive with probability 1 under the model: BG/NBD
 * lets customers drop out only right after a purchase. The rule-based signals cover them.
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, summary: BgNbdSummary): number {
  assertValidSummary(summary);
  if (summary.x === 0) return 1;
  return 1 / (1 + Math.exp(lnDropoutOdds(params, summary)));
}

/**
 * E[Y(t) | x, tₓ, T]: expected purchases in the next `t` time units (eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))
 * The formula has a removable singularity at a = 1; a within 1e-7 of 1 is evaluated at
 * 1 ± 1e-7 (relative error well below the precision of any fitted a).
 */
export function bgNbdExpectedPurchases(
  params: BgNbdParams,
  summary: BgNbdSummary,
  t: number,
): number {
  assertValidSummary(summary);
  assertHorizon(t);
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const a = awayFromOne(params.a);
  const { x, T } = summary;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const tail =
    1 -
    Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) *
      hyp2f1(r + x, b + x, a + b + x - 1, z);
  const alive = x > 0 ? 1 + Math.exp(lnDropoutOdds(params, summary)) : 1;
  return (head * tail) / alive;
}

/**
 * E[X(t)]: expected purchases in (0, t] of a customer just acquired at 0 (eq. 9):
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]
 */
export function bgNbdExpectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  assertHorizon(t);
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const a = awayFromOne(params.a);
  const head = (a + b - 1) / (a - 1);
  const tail =
    1 - Math.exp(r * Math.log(alpha / (alpha + t))) * hyp2f1(r, b, a + b - 1, t / (alpha + t));
  return head * tail;
}

/** ln of a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x), for x > 0. */
function lnDropoutOdds(params: BgNbdParams, summary: BgNbdSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = summary;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

function awayFromOne(a: number): number {
  const epsilon = 1e-7;
  if (Math.abs(a - 1) >= epsilon) return a;
  return a < 1 ? 1 - epsilon : 1 + epsilon;
}

function assertHorizon(t: number): void {
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw new InvalidAnalyticsInputError('prediction horizon must be finite and >= 0', { t });
  }
}
