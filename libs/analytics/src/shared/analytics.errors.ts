import { DomainError } from '@rapport/domain';

/**
 * Input the analytics functions refuse (an unparseable date, a float where minor units are
 * expected, a duplicate customer, mixed currencies). Callers validate at the edge; reaching
 * this means a bug upstream, so it is never retryable.
 */
export class InvalidAnalyticsInputError extends DomainError {
  readonly code = 'INVALID_ANALYTICS_INPUT';
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, details);
  }
}

/** A numerical routine did not converge within its iteration budget. */
export class NumericalConvergenceError extends DomainError {
  readonly code = 'NUMERICAL_NOT_CONVERGED';
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message, details);
  }
}
