import type { Touchpoint } from '@rapport/domain';
import type { RecordTouchpointsResult } from './record-touchpoint.command';

export interface TouchpointOutcomeDto {
  readonly index: number;
  readonly touchpointId: string;
  readonly source: string;
  readonly customerId: string;
  readonly status: 'recorded' | 'duplicate' | 'rejected';
  readonly eventId?: string;
  readonly code?: string;
  readonly reason?: string;
}

export interface RecordTouchpointsResponseDto {
  /** Global position (a decimal string: it is a 64-bit number) to pass as X-Min-Position. */
  readonly position: string;
  readonly recorded: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly items: readonly TouchpointOutcomeDto[];
}

export function toRecordTouchpointsResponse(
  touchpoints: readonly Touchpoint[],
  result: RecordTouchpointsResult,
): RecordTouchpointsResponseDto {
  const items = result.items.map((outcome, index): TouchpointOutcomeDto => {
    const { touchpointId, source, customerId } = touchpoints[index];
    const base = { index, touchpointId, source, customerId, status: outcome.status };
    return outcome.status === 'rejected'
      ? { ...base, code: outcome.code, reason: outcome.reason }
      : { ...base, eventId: outcome.eventId };
  });
  const count = (status: TouchpointOutcomeDto['status']) =>
    items.filter((i) => i.status === status).length;
  return {
    position: result.position.toString(),
    recorded: count('recorded'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    items,
  };
}
