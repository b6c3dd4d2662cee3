import { InvalidAnalyticsInputError } from '../shared/analytics.errors';

// Lanczos approximation, g = 7, nine coefficients: ~15 significant digits for x > 0.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
// Bound once: under Jest's sandbox every `Math.x` lookup costs ~10× more.
const { log } = Math;
const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new InvalidAnalyticsInputError('lnGamma is defined here for finite x > 0 only', { x });
  }
  // The series loses accuracy below 0.5; the reflection formula moves x into its good range.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += LANCZOS_COEFFICIENTS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LN_TWO_PI + (z + 0.5) * log(t) - t + log(sum);
}
