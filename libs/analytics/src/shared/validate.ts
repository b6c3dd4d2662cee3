import { InvalidAnalyticsInputError } from './analytics.errors';

/** Amounts are integer minor units; a float here means someone converted to major units. */
export function assertMinorUnits(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidAnalyticsInputError(`${what} must be an integer in minor units`, { value });
  }
}

export function assertProbability(value: number, what: string): void {
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidAnalyticsInputError(`${what} must be within [0, 1]`, { value });
  }
}
