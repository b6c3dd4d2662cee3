import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { IncomingTouchpoint } from '@rapport/domain';
import type { RecordTouchpointsResult } from '@rapport/recording';
import { RecordedCountsResponseDto, recordedCounts } from './recorded-counts.response.dto';

export class TouchpointOutcomeDto {
  @ApiProperty({ description: 'Index of the touchpoint in the request', example: 0 })
  readonly index!: number;
  @ApiProperty({ example: 'pos-7781-0001' })
  readonly touchpointId!: string;
  @ApiProperty({ example: 'pos' })
  readonly source!: string;
  @ApiPropertyOptional({
    description:
      'The customer (profile) the touchpoint was recorded for: as given, or resolved from its identifiers',
    example: 'C-1001',
  })
  readonly customerId?: string;
  @ApiProperty({
    enum: ['recorded', 'duplicate', 'rejected'],
    description:
      'duplicate: recorded before for this customer (nothing new); rejected: a business rule refused it',
  })
  readonly status!: 'recorded' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ description: 'Deterministic event id (recorded or duplicate)' })
  readonly eventId?: string;
  @ApiPropertyOptional({ description: 'Why it was rejected', example: 'ORDER_NOT_FOUND' })
  readonly code?: string;
  @ApiPropertyOptional({ example: 'order O-unknown of customer C-1001 does not exist' })
  readonly reason?: string;
  @ApiPropertyOptional({
    description:
      'With TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER: the customer this source and touchpointId were first recorded for',
    example: 'C-1001',
  })
  readonly firstCustomerId?: string;
}

export class RecordTouchpointsResponseDto extends RecordedCountsResponseDto {
  @ApiProperty({ type: [TouchpointOutcomeDto] })
  readonly items!: readonly TouchpointOutcomeDto[];
}

export function toRecordTouchpointsResponse(
  touchpoints: readonly IncomingTouchpoint[],
  result: RecordTouchpointsResult,
): RecordTouchpointsResponseDto {
  const items = result.items.map((outcome, index): TouchpointOutcomeDto => {
    const { touchpointId, source } = touchpoints[index];
    const customerId = outcome.customerId ?? touchpoints[index].customerId;
    const base = {
      index,
      touchpointId,
      source,
      ...(customerId === undefined ? {} : { customerId }),
      status: outcome.status,
    };
    return outcome.status === 'rejected'
      ? {
          ...base,
          code: outcome.code,
          reason: outcome.reason,
          ...(outcome.firstCustomerId === undefined
            ? {}
            : { firstCustomerId: outcome.firstCustomerId }),
        }
      : { ...base, eventId: outcome.eventId };
  });
  return { ...recordedCounts(result.position, items), items };
}
