import { minimizeBfgs, type ValueAndGradient } from '../math/bfgs';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import {
  groupedLogLikelihood,
  groupedLogLikelihoodWithGradient,
  groupSummaries,
} from './bg-nbd.grouped-likelihood';
import type { BgNbdFitResult, BgNbdParams, BgNbdSummary, BgNbdTimeUnit } from './bg-nbd.types';

export interface BgNbdFitOptions {
  /** BFGS iterations per run. Default 200. */
  readonly maxIterations?: number;
  /** Relative tolerance on the mean negative log-likelihood. Default 1e-12. */
  readonly tolerance?: number;
  /** Extra runs restarted from the previous optimum with the curvature estimate forgotten,
   * which confirms the optimum cheaply when the first run stopped on a stale estimate.
   * Default 1. */
  readonly restarts?: number;
  /** Starting point; default r = a = b = 1 and α matched to the mean purchase rate. */
  readonly start?: BgNbdParams;
}

// Beyond e^±30 a parameter is degenerate (and lnΓ loses meaning); treat as infeasible.
const LOG_PARAM_BOUND = 30;

/**
 * Maximum-likelihood fit of (r, α, a, b) by BFGS on the logarithms of the parameters (which
 * keeps them positive without constraints), with the likelihood's analytic gradient: tens of
 * likelihood evaluations instead of the thousands a simplex method needs, which is what keeps
 * a periodic refit of a large customer base cheap. The objective is the mean negative
 * log-likelihood per customer so the tolerance does not depend on the base size.
 * `summaries` must all be in `unit`.
 */
export function fitBgNbd(
  input: { readonly unit: BgNbdTimeUnit; readonly summaries: readonly BgNbdSummary[] },
  options: BgNbdFitOptions = {},
): BgNbdFitResult {
  if (input.summaries.length === 0) {
    throw new InvalidAnalyticsInputError('cannot fit BG/NBD on zero customers');
  }
  const grouped = groupSummaries(input.summaries);
  const customers = grouped.customers;
  const objective = (theta: readonly number[]): ValueAndGradient => {
    if (theta.some((t) => Math.abs(t) > LOG_PARAM_BOUND)) return INFEASIBLE;
    const params = fromLog(theta);
    const { value, gradient } = groupedLogLikelihoodWithGradient(params, grouped);
    // d/d(ln p) = p · d/dp.
    return {
      value: -value / customers,
      gradient: [
        (-params.r * gradient.r) / customers,
        (-params.alpha * gradient.alpha) / customers,
        (-params.a * gradient.a) / customers,
        (-params.b * gradient.b) / customers,
      ],
    };
  };

  const tolerance = options.tolerance ?? 1e-12;
  let theta = toLog(options.start ?? defaultStart(input.summaries));
  let iterations = 0;
  let converged = false;
  let value = Infinity;
  const runs = 1 + (options.restarts ?? 1);
  for (let run = 0; run < runs; run++) {
    const result = minimizeBfgs(objective, theta, {
      maxIterations: options.maxIterations ?? 200,
      functionTolerance: tolerance,
    });
    iterations += result.iterations;
    const improvement = value - result.value;
    theta = [...result.point];
    value = result.value;
    converged = result.converged;
    if (run > 0 && converged && improvement <= tolerance * (1 + Math.abs(value))) break;
  }
  const params = fromLog(theta);
  return {
    params,
    unit: input.unit,
    logLikelihood: groupedLogLikelihood(params, grouped),
    iterations,
    converged,
    customers,
    distinctTriples: grouped.triples,
  };
}

const INFEASIBLE: ValueAndGradient = { value: Infinity, gradient: [NaN, NaN, NaN, NaN] };

function defaultStart(summaries: readonly BgNbdSummary[]): BgNbdParams {
  let sumX = 0;
  let sumT = 0;
  for (const s of summaries) {
    sumX += s.x;
    sumT += s.T;
  }
  const meanRate = (sumX + summaries.length * 0.5) / Math.max(sumT, 1);
  // With r = 1, E[λ] = r / α, so α = 1 / mean rate.
  return { r: 1, alpha: 1 / meanRate, a: 1, b: 1 };
}

function toLog(p: BgNbdParams): number[] {
  return [Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b)];
}

function fromLog(theta: readonly number[]): BgNbdParams {
  return {
    r: Math.exp(theta[0]),
    alpha: Math.exp(theta[1]),
    a: Math.exp(theta[2]),
    b: Math.exp(theta[3]),
  };
}
