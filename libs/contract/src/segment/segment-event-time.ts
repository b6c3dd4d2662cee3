import type { FieldProblem } from '../field-problem';
import { describe } from './segment-call';

export interface SegmentEventTime {
  /** ISO 8601, or the text the call gave (the contract then says what is wrong with it). */
  readonly occurredAt: string;
  /** The call's field it came from, to name it in a refusal. */
  readonly from: string;
}

/**
 * When the call happened, as Segment decides it: `timestamp` when the tracker set one;
 * otherwise `originalTimestamp` (the device's clock) moved by the device's clock skew, which
 * `sentAt` (the device's clock when it sent) measures against `receivedAt` (ours); otherwise
 * `originalTimestamp` as it is; otherwise the time it was received. `receivedAt` is the edge's
 * clock, given by the caller: the mapping itself reads no clock.
 */
export function segmentEventTime(
  call: Readonly<Record<string, unknown>>,
  batchSentAt: unknown,
  receivedAt: Date,
  problems: FieldProblem[],
): SegmentEventTime | undefined {
  const text = (field: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    problems.push({
      path: field,
      message: `${field} must be an ISO 8601 date-time (got ${describe(value)})`,
    });
    return undefined;
  };
  const timestamp = text('timestamp', call.timestamp);
  if (timestamp !== undefined) return { occurredAt: timestamp, from: 'timestamp' };
  const original = text('originalTimestamp', call.originalTimestamp);
  const sentAt =
    call.sentAt !== undefined ? text('sentAt', call.sentAt) : text('sentAt', batchSentAt);
  if (original === undefined)
    return problems.length
      ? undefined
      : { occurredAt: receivedAt.toISOString(), from: 'receivedAt' };
  const originalMs = Date.parse(original);
  const sentMs = sentAt === undefined ? NaN : Date.parse(sentAt);
  if (Number.isNaN(originalMs) || Number.isNaN(sentMs))
    return { occurredAt: original, from: 'originalTimestamp' };
  const skewMs = sentMs - receivedAt.getTime();
  return { occurredAt: new Date(originalMs - skewMs).toISOString(), from: 'originalTimestamp' };
}
