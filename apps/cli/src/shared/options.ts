import { InvalidArgumentError } from 'commander';

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
