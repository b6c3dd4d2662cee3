import type { FieldProblem } from '../field-problem';

/** The Segment calls Rapport maps; the other Segment calls are refused by name. */
export const SEGMENT_CALL_TYPES = ['track', 'page', 'identify'] as const;
export type SegmentCallType = (typeof SEGMENT_CALL_TYPES)[number];

/** Segment calls that exist in the spec but carry nothing Rapport records. */
export const UNMAPPED_SEGMENT_CALL_TYPES = ['screen', 'group', 'alias'] as const;

/**
 * One Segment call as it arrived: an open JSON object (the Segment spec lets trackers add
 * fields, and they do: `_metadata`, `integrations`, `context.library`, …), read field by field.
 */
export type SegmentCall = Readonly<Record<string, unknown>>;

/** What a batch gives every item it carries (analytics-node sends `sentAt` once per batch). */
export interface SegmentBatchDefaults {
  readonly sentAt?: unknown;
  readonly context?: unknown;
}

/** Reads a dotted path of an open object: `valueAt(call, 'context.page.url')`. */
export function valueAt(from: unknown, path: string): unknown {
  let value = from;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** The first of `paths` that holds something other than null or undefined. */
export function firstPresent(
  from: unknown,
  paths: readonly string[],
): { readonly path: string; readonly value: unknown } | undefined {
  for (const path of paths) {
    const value = valueAt(from, path);
    if (value !== undefined && value !== null) return { path, value };
  }
  return undefined;
}

/**
 * A Segment id or text field: a non-empty string, or a number, which some trackers send for
 * ids (userId 42) and Segment takes as its decimal text. Anything else is a problem at `path`.
 */
export function readText(
  value: unknown,
  path: string,
  problems: FieldProblem[],
): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  problems.push({
    path,
    message:
      typeof value === 'string'
        ? `${path} must not be empty`
        : `${path} must be a string (got ${describe(value)})`,
  });
  return undefined;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
