import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldProblem, SegmentDecodeResult } from '@rapport/contract';
import type { RecordTouchpointsResult } from '@rapport/recording';
import {
  RecordedCountsResponseDto,
  recordedCounts,
} from '../record-touchpoint/recorded-counts.response.dto';

export class SegmentFieldProblemDto {
  @ApiProperty({ example: 'properties.total' })
  readonly path!: string;
  @ApiProperty({ example: 'properties.total has more decimals than JPY has (0): 12.5' })
  readonly message!: string;
}

export class SegmentCallOutcomeDto {
  @ApiProperty({ description: 'Index of the call in the request (0 for a single call)' })
  readonly index!: number;
  @ApiPropertyOptional({ description: "The call's messageId: the touchpointId it is recorded as" })
  readonly messageId?: string;
  @ApiProperty({
    enum: ['recorded', 'duplicate', 'rejected', 'invalid'],
    description:
      'duplicate: this messageId was recorded before (a retry; nothing new); rejected: a business rule refused it ' +
      '(an order refunded that does not exist); invalid: the call could not be mapped or breaks the contract (see code and errors)',
  })
  readonly status!: 'recorded' | 'duplicate' | 'rejected' | 'invalid';
  @ApiPropertyOptional({ description: 'The customer the touchpoint was recorded for' })
  readonly customerId?: string;
  @ApiPropertyOptional({ description: 'Deterministic event id (recorded or duplicate)' })
  readonly eventId?: string;
  @ApiPropertyOptional({
    example: 'SEGMENT_EVENT_NOT_MAPPED',
    description:
      'rejected: the business rule (ORDER_NOT_FOUND, …); invalid: SEGMENT_CALL_INVALID, SEGMENT_EVENT_NOT_MAPPED or SEGMENT_CALL_NOT_MAPPED',
  })
  readonly code?: string;
  @ApiPropertyOptional({ description: 'Why a business rule rejected it' })
  readonly reason?: string;
  @ApiPropertyOptional({
    type: [SegmentFieldProblemDto],
    description: 'invalid: what is wrong, and where',
  })
  readonly errors?: readonly FieldProblem[];
}

export class SegmentResponseDto extends RecordedCountsResponseDto {
  @ApiProperty({
    example: true,
    description:
      "Segment's answer: the request was taken. Trackers (analytics.js, analytics-node) look only at the status code: " +
      '2xx is delivered; 400 is dropped without a retry; anything else is retried with the same messageIds',
  })
  readonly success!: true;
  @ApiProperty({ example: 0, description: 'Calls not recorded because they could not be mapped' })
  readonly invalid!: number;
  @ApiProperty({ type: [SegmentCallOutcomeDto] })
  readonly items!: readonly SegmentCallOutcomeDto[];
}

/**
 * Puts each call's answer back in request order: the decoded ones were recorded in one command
 * (their outcomes in the same order), the others answer why they were not.
 */
export function toSegmentResponse(
  decoded: readonly SegmentDecodeResult[],
  messageIds: ReadonlyArray<string | undefined>,
  result: RecordTouchpointsResult,
): SegmentResponseDto {
  let next = 0;
  const items = decoded.map((call, index): SegmentCallOutcomeDto => {
    const messageId = messageIds[index];
    const base = { index, ...(messageId === undefined ? {} : { messageId }) };
    if (!call.ok) return { ...base, status: 'invalid', code: call.code, errors: call.problems };
    const outcome = result.items[next++];
    const customerId = outcome.customerId ?? call.touchpoint.customerId;
    const who = customerId === undefined ? {} : { customerId };
    return outcome.status === 'rejected'
      ? { ...base, status: 'rejected', ...who, code: outcome.code, reason: outcome.reason }
      : { ...base, status: outcome.status, ...who, eventId: outcome.eventId };
  });
  return {
    success: true,
    ...recordedCounts(result.position, items),
    invalid: items.filter((i) => i.status === 'invalid').length,
    items,
  };
}
