import type { Signal } from './signal';

/**
 * The signal as delivered: JSON with keys in a fixed order at every depth, so that equal
 * signals give equal bytes and a content fingerprint can tell a redelivery from a change.
 */
export function signalContent(signal: Signal): string {
  return JSON.stringify(sortKeys(signal));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
