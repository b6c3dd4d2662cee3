import { digamma } from '../math/digamma';
import { lnGamma } from '../math/ln-gamma';
import type { GammaGammaParams, SpendSummary } from './gamma-gamma.types';

/**
 * ln f(z̄ | p, q, γ; x): the marginal density of a customer's mean spend over x transactions
 * (Fader & Hardie 2013, eq. 3), using that x·z̄ | ν ~ Gamma(px, ν):
 *   lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄)
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, summary: SpendSummary): number {
  const { p, q, gamma } = params;
  const { x, meanSpend: z } = summary;
  const px = p * x;
  return (
    lnGamma(px + q) -
    lnGamma(px) -
    lnGamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(z) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * z)
  );
}

/** Σ ln f over customers and its gradient in (p, q, γ), for the fit. */
export function gammaGammaLogLikelihoodWithGradient(
  params: GammaGammaParams,
  summaries: readonly SpendSummary[],
): { value: number; gradient: { p: number; q: number; gamma: number } } {
  const { p, q, gamma } = params;
  const lnGammaQ = lnGamma(q);
  const digammaQ = digamma(q);
  const lnG = Math.log(gamma);
  let value = 0;
  let dp = 0;
  let dq = 0;
  let dGamma = 0;
  for (const { x, meanSpend: z } of summaries) {
    const px = p * x;
    const lnZ = Math.log(z);
    const lnX = Math.log(x);
    const lnDenominator = Math.log(gamma + x * z);
    value +=
      lnGamma(px + q) -
      lnGamma(px) -
      lnGammaQ +
      q * lnG +
      (px - 1) * lnZ +
      px * lnX -
      (px + q) * lnDenominator;
    const digammaSum = digamma(px + q);
    dp += x * (digammaSum - digamma(px) + lnZ + lnX - lnDenominator);
    dq += digammaSum - digammaQ + lnG - lnDenominator;
    dGamma += q / gamma - (px + q) / (gamma + x * z);
  }
  return { value, gradient: { p: dp, q: dq, gamma: dGamma } };
}
