import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldProblem, SegmentDecodeResult } from '@rapport/contract';
import type { LinkAnswer, RecordedItem } from '@rapport/recording';
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
      '(an order refunded that does not exist); invalid: the call could not be mapped or breaks the contract (see code and errors). ' +
      'An identify call: recorded when it linked an identifier or merged profiles; duplicate when the identity graph held all it ' +
      'says already (the same messageId again, or known links); rejected (IDENTITY_LINK_REFUSED) when the identity rules refused ' +
      'every link or merge it asked for (each refusal recorded as MergeRefused)',
  })
  readonly status!: 'recorded' | 'duplicate' | 'rejected' | 'invalid';
  @ApiPropertyOptional({
    description:
      'The customer the touchpoint was recorded for; for identify, the profile its identifiers name',
  })
  readonly customerId?: string;
  @ApiPropertyOptional({
    description:
      'Deterministic event id of the touchpoint (recorded or duplicate); none for identify',
  })
  readonly eventId?: string;
  @ApiPropertyOptional({
    example: 'SEGMENT_EVENT_NOT_MAPPED',
    description:
      'rejected: the business rule (ORDER_NOT_FOUND, IDENTITY_LINK_REFUSED, …); invalid: SEGMENT_CALL_INVALID, SEGMENT_EVENT_NOT_MAPPED or SEGMENT_CALL_NOT_MAPPED',
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

/** How one decoded call fared: a recorded touchpoint's item, or an identify call's links. */
export type SegmentCallRecord =
  { readonly touchpoint: RecordedItem } | { readonly identify: LinkAnswer };

/** Puts each call's answer back in request order: recorded (`records[i]`) or why not. */
export function toSegmentResponse(
  decoded: readonly SegmentDecodeResult[],
  messageIds: ReadonlyArray<string | undefined>,
  records: ReadonlyArray<SegmentCallRecord | undefined>,
  position: bigint,
): SegmentResponseDto {
  const items = decoded.map((call, index): SegmentCallOutcomeDto => {
    const messageId = messageIds[index];
    const base = { index, ...(messageId === undefined ? {} : { messageId }) };
    if (!call.ok) return { ...base, status: 'invalid', code: call.code, errors: call.problems };
    const record = records[index]!;
    if ('identify' in record) return { ...base, ...identifyOutcome(record.identify) };
    const outcome = record.touchpoint;
    const customerId = outcome.customerId ?? call.touchpoint?.customerId;
    const who = customerId === undefined ? {} : { customerId };
    return outcome.status === 'rejected'
      ? { ...base, status: 'rejected', ...who, code: outcome.code, reason: outcome.reason }
      : { ...base, status: outcome.status, ...who, eventId: outcome.eventId };
  });
  return {
    success: true,
    ...recordedCounts(position, items),
    invalid: items.filter((i) => i.status === 'invalid').length,
    items,
  };
}

/**
 * recorded: it linked an identifier or merged profiles; rejected: the rules refused all it
 * asked (recorded as MergeRefused); duplicate: the graph held it all already (the same
 * messageId again, or links known before).
 */
function identifyOutcome(answer: LinkAnswer): Omit<SegmentCallOutcomeDto, 'index'> {
  const customerId = answer.profileId;
  if (answer.linked + answer.merged > 0) return { status: 'recorded', customerId };
  if (answer.refused.length === 0) return { status: 'duplicate', customerId };
  return {
    status: 'rejected',
    customerId,
    code: IDENTIFY_REFUSED,
    reason: answer.refused.map(describeRefusal).join('; '),
  };
}

/** An identify call whose every link or merge the identity rules refused. */
export const IDENTIFY_REFUSED = 'IDENTITY_LINK_REFUSED';

function describeRefusal(refusal: LinkAnswer['refused'][number]): string {
  const what = refusal.identifier ? `the ${refusal.identifier.type}` : 'the identifier';
  if (refusal.rule === 'type-may-not-merge')
    return `${what} belongs to another profile and ${refusal.identifier?.type ?? 'its type'} may not merge profiles (IDENTITY_MERGE_TYPES)`;
  const limit = refusal.limit;
  return limit
    ? `${what} was not linked to ${refusal.profiles.join(' and ')}: the profile would hold ${limit.would} of type ${limit.identifierType}, at most ${limit.max} (IDENTITY_LIMITS)`
    : `${what} was not linked: a limit per profile (IDENTITY_LIMITS)`;
}
