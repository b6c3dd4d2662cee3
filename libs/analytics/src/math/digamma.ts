import { InvalidAnalyticsInputError } from '../shared/analytics.errors';

// Bound once: under Jest's sandbox every `Math.x` lookup costs ~10× more.
const { log } = Math;
// From here on the asymptotic series below is accurate to ~1e-14.
const SERIES_FROM = 10;

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x moves x up to where the
 * asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) converges fast. Hand-written beside
 * {@link lnGamma}: the only packaged one (stdlib) brings 150 packages for these few lines.
 */
export function digamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new InvalidAnalyticsInputError('digamma is defined here for finite x > 0 only', { x });
  }
  let shift = 0;
  while (x < SERIES_FROM) {
    shift -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    shift +
    log(x) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
  );
}
