import { minimizeBfgs, type ValueAndGradient } from '../math/bfgs';
import { pearsonCorrelation } from '../math/pearson-correlation';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import {
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodWithGradient,
} from './gamma-gamma.likelihood';
import { gammaGammaPopulationMeanSpend } from './gamma-gamma.predict';
import type { GammaGammaFitResult, GammaGammaParams, SpendSummary } from './gamma-gamma.types';

export interface GammaGammaFitOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

// Beyond e^±40 a parameter is degenerate; γ is in minor units, so it may be large.
const LOG_PARAM_BOUND = 40;

/**
 * Maximum-likelihood fit of the Gamma-Gamma spend model on repeat customers (x ≥ 1, z̄ > 0;
 * Fader & Hardie 2013), by BFGS on the logarithms of (p, q, γ) with the analytic gradient.
 * Also reports the correlation of frequency and spend the model assumes away.
 */
export function fitGammaGamma(
  summaries: readonly SpendSummary[],
  options: GammaGammaFitOptions = {},
): GammaGammaFitResult {
  for (const s of summaries)
    if (!Number.isInteger(s.x) || s.x < 1 || !(s.meanSpend > 0) || !Number.isFinite(s.meanSpend))
      throw new InvalidAnalyticsInputError(
        'the spend model is fitted on repeat customers with a positive mean spend only',
        { x: s.x, meanSpend: s.meanSpend },
      );
  if (summaries.length < 2)
    throw new InvalidAnalyticsInputError('cannot fit the spend model on fewer than 2 customers', {
      customers: summaries.length,
    });
  const n = summaries.length;
  const objective = (theta: readonly number[]): ValueAndGradient => {
    if (theta.some((t) => Math.abs(t) > LOG_PARAM_BOUND))
      return { value: Infinity, gradient: [NaN, NaN, NaN] };
    const params = fromLog(theta);
    const { value, gradient } = gammaGammaLogLikelihoodWithGradient(params, summaries);
    return {
      value: -value / n,
      gradient: [
        (-params.p * gradient.p) / n,
        (-params.q * gradient.q) / n,
        (-params.gamma * gradient.gamma) / n,
      ],
    };
  };
  let theta = toLog(defaultStart(summaries));
  let iterations = 0;
  let converged = false;
  // A second run from the first optimum with the curvature estimate reset confirms it.
  for (let run = 0; run < 2; run++) {
    const result = minimizeBfgs(objective, theta, {
      maxIterations: options.maxIterations ?? 300,
      functionTolerance: options.tolerance ?? 1e-13,
    });
    iterations += result.iterations;
    theta = [...result.point];
    converged = result.converged;
  }
  const params = fromLog(theta);
  let logLikelihood = 0;
  for (const s of summaries) logLikelihood += gammaGammaLogLikelihood(params, s);
  return {
    params,
    logLikelihood,
    iterations,
    converged,
    customers: n,
    frequencySpendCorrelation: pearsonCorrelation(
      summaries.map((s) => s.x),
      summaries.map((s) => s.meanSpend),
    ),
    meanSpend: gammaGammaPopulationMeanSpend(params),
  };
}

/** p = 1, q = 2 and γ matching the sample mean spend (E[Z] = γp/(q−1) = γ). */
function defaultStart(summaries: readonly SpendSummary[]): GammaGammaParams {
  let sum = 0;
  for (const s of summaries) sum += s.meanSpend;
  return { p: 1, q: 2, gamma: sum / summaries.length };
}

function toLog(params: GammaGammaParams): number[] {
  return [Math.log(params.p), Math.log(params.q), Math.log(params.gamma)];
}

function fromLog(theta: readonly number[]): GammaGammaParams {
  return { p: Math.exp(theta[0]), q: Math.exp(theta[1]), gamma: Math.exp(theta[2]) };
}
