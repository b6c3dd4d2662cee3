import { InvalidArgumentError } from 'commander';
import { periodStartInstant } from '@rapport/analytics';

/** The start of a period: an instant, or a plain date meaning the start of that UTC day. */
export function periodStartOption(raw: string): string {
  try {
    return periodStartInstant(raw);
  } catch {
    throw new InvalidArgumentError('must be an ISO 8601 instant, or a date YYYY-MM-DD (its start)');
  }
}
