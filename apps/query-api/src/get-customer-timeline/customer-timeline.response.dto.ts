import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, CUSTOMER_EVENT_TYPES, TOUCHPOINT_TYPES } from '@rapport/domain';

export class TimelineItemDto {
  @ApiProperty({ description: "Revision in the customer's stream", example: '3' })
  readonly revision!: string;
  @ApiPropertyOptional({
    description:
      "A merged profile's timeline only: the member customer whose stream holds the touchpoint",
    example: 'profile.3f9a1c2e',
  })
  readonly customerId?: string;
  @ApiProperty({ description: 'Global position', example: '42' })
  readonly position!: string;
  @ApiProperty({ example: '0b5e1e52-7c1e-5c2e-9d55-2f8b1f3c9a10' })
  readonly eventId!: string;
  @ApiProperty({ enum: CUSTOMER_EVENT_TYPES })
  readonly eventType!: string;
  @ApiProperty({ enum: TOUCHPOINT_TYPES })
  readonly type!: string;
  @ApiProperty({ example: 'pos-7781-0001' })
  readonly touchpointId!: string;
  @ApiProperty({ example: 'pos' })
  readonly source!: string;
  @ApiProperty({ enum: CHANNELS })
  readonly channel!: string;
  @ApiProperty({ example: '2026-11-20T14:03:00.000Z' })
  readonly occurredAt!: string;
  @ApiProperty({ description: 'When the store committed it', example: '2026-11-20T14:03:02.120Z' })
  readonly recordedAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The type's own fields",
    example: { orderId: 'O-55', amount: { minor: 4999, currency: 'EUR' } },
  })
  readonly data!: Record<string, unknown>;
}

export class CustomerTimelineResponseDto {
  @ApiProperty({ example: 'C-1001' })
  readonly customerId!: string;
  @ApiProperty({ type: [TimelineItemDto], description: 'Newest recorded first' })
  readonly items!: TimelineItemDto[];
  @ApiPropertyOptional({
    description:
      'Pass as cursor for the next page; absent on the last. A revision of the stream, or for a ' +
      'merged profile a global position',
  })
  readonly nextCursor?: string;
  @ApiPropertyOptional({
    type: [String],
    description:
      "Present when the customer is in a merged profile: every member, whose streams' touchpoints " +
      'the timeline merges by global position',
    example: ['C-1001', 'profile.3f9a1c2e'],
  })
  readonly members?: string[];
}
