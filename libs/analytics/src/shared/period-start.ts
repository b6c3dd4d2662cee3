import { InvalidAnalyticsInputError } from './analytics.errors';
import { endOfPlainDate, MS_PER_DAY } from './date-input';

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The first instant of a period given as the CLI and the HTTP API take it: a plain date
 * "YYYY-MM-DD" means the start of that UTC day (the holdout from 1 July has all of 1 July in
 * it), an instant is taken as given. Canonical UTC form.
 */
export function periodStartInstant(text: string): string {
  const end = endOfPlainDate(text);
  const ms = end !== null ? end + 1 - MS_PER_DAY : PLAIN_DATE.test(text) ? NaN : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new InvalidAnalyticsInputError(
      `not a valid start: ${text} (an ISO 8601 instant, or a date YYYY-MM-DD)`,
      { input: text },
    );
  return new Date(ms).toISOString();
}
