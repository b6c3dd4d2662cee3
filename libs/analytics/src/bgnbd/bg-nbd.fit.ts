import { minimizeNelderMead } from '../math/nelder-mead';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { groupedLogLikelihood, groupSummaries } from './bg-nbd.grouped-likelihood';
import type { BgNbdFitResult, BgNbdParams, BgNbdSummary, BgNbdTimeUnit } from './bg-nbd.types';

export interface BgNbdFitOptions {
  /** Nelder–Mead iterations per run. Default 2000. */
  readonly maxIterations?: number;
  /** Relative tolerance on the mean negative log-likelihood. Default 1e-10. */
  readonly tolerance?: number;
  /** Extra runs restarted from the previous optimum with a fresh simplex (Nelder–Mead can
   * stall on a degenerate simplex; a restart is the standard remedy). Default 2. */
  readonly restarts?: number;
  /** Starting point; default r = a = b = 1 and α matched to the mean purchase rate. */
  readonly start?: BgNbdParams;
}

// Beyond e^±30 a parameter is degenerate (and lnΓ loses meaning); treat as infeasible.
const LOG_PARAM_BOUND = 30;

/**
 * Maximum-likelihood fit of (r, α, a, b) by Nelder–Mead on the logarithms of the
 * parameters (which keeps them positive without constraints). The objective is the mean
 * negative log-likelihood per customer so the tolerance does not depend on the base size.
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
  const objective = (theta: readonly number[]): number => {
    if (theta.some((t) => Math.abs(t) > LOG_PARAM_BOUND)) return Infinity;
    return -groupedLogLikelihood(fromLog(theta), grouped) / customers;
  };

  let theta = toLog(options.start ?? defaultStart(input.summaries));
  let iterations = 0;
  let converged = false;
  let value = objective(theta);
  const runs = 1 + (options.restarts ?? 2);
  for (let run = 0; run < runs; run++) {
    const result = minimizeNelderMead(objective, theta, {
      maxIterations: options.maxIterations ?? 2000,
      functionTolerance: options.tolerance ?? 1e-10,
      pointTolerance: 1e-7,
      initialStep: run === 0 ? 0.5 : 0.1,
    });
    iterations += result.iterations;
    const improvement = value - result.value;
    theta = [...result.point];
    value = result.value;
    converged = result.converged;
    if (
      run > 0 &&
      converged &&
      improvement <= (options.tolerance ?? 1e-10) * (1 + Math.abs(value))
    ) {
      break;
    }
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
