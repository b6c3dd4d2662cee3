import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import type { GammaGammaParams, SpendSummary } from './gamma-gamma.types';

/** E[Z] = γp/(q−1) for a customer nothing is known about; null when q ≤ 1 (no finite mean). */
export function gammaGammaPopulationMeanSpend(params: GammaGammaParams): number | null {
  return params.q > 1 ? (params.gamma * params.p) / (params.q - 1) : null;
}

/**
 * E[Z | z̄, x] = p(γ + x z̄) / (px + q − 1) (Fader & Hardie 2013, eq. 5): a weighted mean of the
 * population mean γp/(q−1) and the customer's own z̄, the weight on z̄ growing with x. A customer
 * without repeat transactions (x = 0) gets the population mean. Null when q ≤ 1 and x = 0
 * (no finite mean to fall back on).
 */
export function gammaGammaExpectedSpend(
  params: GammaGammaParams,
  summary: SpendSummary,
): number | null {
  const { p, q, gamma } = params;
  const { x, meanSpend } = summary;
  if (!Number.isInteger(x) || x < 0 || !(meanSpend >= 0) || !Number.isFinite(meanSpend))
    throw new InvalidAnalyticsInputError('invalid spend summary', { x, meanSpend });
  if (x === 0) return gammaGammaPopulationMeanSpend(params);
  const denominator = p * x + q - 1;
  if (denominator <= 0) return null;
  return (p * (gamma + x * meanSpend)) / denominator;
}
