import { InvalidArgumentError } from 'commander';
import { asOfInstant } from '@rapport/analytics';

export function integerOption(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return value;
  };
}

export function isoDateOption(raw: string): string {
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new InvalidArgumentError('must be an ISO 8601 date or instant');
  return new Date(at).toISOString();
}

/** An asOf: an instant, or a plain date meaning the end of that UTC day (as the HTTP asOf). */
export function asOfOption(raw: string): string {
  try {
    return asOfInstant(raw);
  } catch {
    throw new InvalidArgumentError('must be an ISO 8601 instant, or a date YYYY-MM-DD (its end)');
  }
}
