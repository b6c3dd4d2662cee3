import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, TOUCHPOINT_TYPES } from '@rapport/domain';

const moneyByCurrency = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'Integer minor units per ISO 4217 currency',
  example: { EUR: 4999 },
} as const;

export class MoneyDto {
  @ApiProperty({ example: 4999, description: 'Integer minor units' })
  readonly minor!: number;
  @ApiProperty({ example: 'EUR' })
  readonly currency!: string;
}

export class TouchpointSummaryDto {
  @ApiProperty({ example: 'pos-7781-0001' })
  readonly touchpointId!: string;
  @ApiProperty({ example: 'pos' })
  readonly source!: string;
  @ApiProperty({ enum: TOUCHPOINT_TYPES })
  readonly type!: string;
  @ApiProperty({ enum: CHANNELS })
  readonly channel!: string;
  @ApiProperty({ example: '2026-11-20T14:03:00.000Z' })
  readonly occurredAt!: string;
  @ApiProperty({ example: 'purchase O-55 49.99 EUR' })
  readonly summary!: string;
}

export class OrderSummaryDto {
  @ApiPropertyOptional({
    example: 'C-2',
    description:
      "In a merged profile's view, the member customer it belongs to when that is not the " +
      "profile's own id: members' ids are kept apart (two members may each have an O-1).",
  })
  readonly customerId?: string;
  @ApiProperty({ example: 'O-55' })
  readonly orderId!: string;
  @ApiProperty({ example: '2026-11-20T14:03:00.000Z' })
  readonly purchasedAt!: string;
  @ApiProperty({ enum: CHANNELS })
  readonly channel!: string;
  @ApiProperty({ type: MoneyDto })
  readonly amount!: MoneyDto;
  @ApiProperty({ example: 0 })
  readonly cancelledMinor!: number;
  @ApiProperty({ enum: ['completed', 'partially_cancelled', 'cancelled'] })
  readonly status!: string;
  @ApiProperty({ example: 1 })
  readonly itemCount!: number;
}

export class OpenComplaintDto {
  @ApiPropertyOptional({
    example: 'C-2',
    description:
      "In a merged profile's view, the member customer it belongs to when that is not the " +
      "profile's own id: members' ids are kept apart (two members may each have an O-1).",
  })
  readonly customerId?: string;
  @ApiProperty({ example: 'K-9' })
  readonly complaintId!: string;
  @ApiProperty({ example: 'delivery' })
  readonly category!: string;
  @ApiPropertyOptional({ enum: ['low', 'medium', 'high', 'critical'] })
  readonly severity?: string;
  @ApiProperty({ example: '2026-11-21T09:00:00.000Z' })
  readonly raisedAt!: string;
}

/** The profile a customer belongs to (issue 30): merged customers share one view. */
export class ProfileMembershipDto {
  @ApiProperty({
    example: 'C-1001',
    description:
      'The profile: the customer id whose view holds every member. Differs from the customer ' +
      'asked for when that one was merged into it',
  })
  readonly id!: string;
  @ApiProperty({
    type: [String],
    example: ['C-1001', 'profile.3f9a1c2e'],
    description:
      'Every customer id of the profile, in id order; the asked one alone if never merged',
  })
  readonly members!: string[];
}

/** The single customer view as GET /v1/customers/{customerId} answers it. */
export class CustomerViewDto {
  @ApiProperty({ example: 'C-1001' })
  readonly customerId!: string;
  @ApiProperty({
    description: 'Position of the last event applied to this view (compare with X-Position)',
    example: '42',
  })
  readonly position!: string;
  @ApiProperty({ type: [String], example: ['pos', 'webshop'] })
  readonly sources!: string[];
  @ApiProperty({
    example: '2026-11-20T14:03:00.000Z',
    description: 'First touchpoint of any kind (event time): when the customer became known',
  })
  readonly firstSeenAt!: string;
  @ApiProperty({
    example: '2026-11-20T14:03:00.000Z',
    nullable: true,
    type: String,
    description:
      "The customer's own latest step: a web visit, an inbound call, an email they sent, or " +
      'opened, clicked or replied to, a purchase, a cancellation, a complaint. Never the ' +
      "business's own contact (see lastContactedAt); null if the customer took no step yet",
  })
  readonly lastSeenAt!: string | null;
  @ApiProperty({
    example: '2026-12-03T21:28:48.000Z',
    nullable: true,
    type: String,
    description:
      "The business's latest touchpoint with the customer: an email or call it made, a reply, " +
      'a resolved complaint; null if none',
  })
  readonly lastContactedAt!: string | null;
  @ApiProperty({ example: 1 })
  readonly touchpointCount!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { purchase: 1 },
  })
  readonly countsByType!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { store: 1 },
  })
  readonly countsByChannel!: Record<string, number>;
  @ApiProperty({ type: [OrderSummaryDto] })
  readonly orders!: OrderSummaryDto[];
  @ApiProperty({ example: 1 })
  readonly orderCount!: number;
  @ApiProperty({ example: 0 })
  readonly cancellationCount!: number;
  @ApiProperty(moneyByCurrency)
  readonly grossRevenue!: Record<string, number>;
  @ApiProperty(moneyByCurrency)
  readonly netRevenue!: Record<string, number>;
  @ApiProperty({ type: TouchpointSummaryDto, nullable: true })
  readonly lastTouchpoint!: TouchpointSummaryDto | null;
  @ApiProperty({ type: [OpenComplaintDto] })
  readonly openComplaints!: OpenComplaintDto[];
  @ApiProperty({ example: 0 })
  readonly complaintsRaised!: number;
  @ApiProperty({ example: 0 })
  readonly complaintsResolved!: number;
  @ApiProperty({ type: [TouchpointSummaryDto], description: 'Newest first, by event time' })
  readonly recentTouchpoints!: TouchpointSummaryDto[];
  @ApiProperty({ enum: CHANNELS, isArray: true })
  readonly channelsUsed!: string[];
  @ApiProperty(moneyByCurrency)
  readonly averageOrderValue!: Record<string, number>;
  @ApiProperty({ example: 0, description: 'Cancelled orders over orders' })
  readonly cancellationRate!: number;
  @ApiProperty({
    type: 'object',
    description: 'Gaps between purchase days (days): count, medianDays, meanDays, minDays, maxDays',
    additionalProperties: true,
  })
  readonly purchaseGaps!: Record<string, number | null>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    isArray: true,
    description: 'Cancellation facts (orderId, occurredAt, amount; customerId as on orders)',
  })
  readonly cancellations!: unknown[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    isArray: true,
    description: 'Complaints with raisedAt and resolvedAt',
  })
  readonly complaintHistory!: unknown[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: {}, minItems: 2, maxItems: 2 },
    description:
      "The customer's own touchpoints (as lastSeenAt counts them) per UTC day as " +
      '[YYYY-MM-DD, count] pairs, in day order: what the engagement signal reads',
    example: [['2026-11-20', 1]],
  })
  readonly activityByDay!: Array<[string, number]>;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      "When the customer's personal data was erased (DELETE /v1/customers/{id}); earlier visit " +
      'and call summaries read "… (erased)", revenue and orders are kept. Absent if never',
  })
  readonly erasedAt?: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: {}, minItems: 3, maxItems: 3 },
    description:
      'Service the customer took per UTC day as [YYYY-MM-DD, call seconds, emails the business sent], ' +
      'in day order: what the cost to serve reads (absent in views stored before it existed)',
    example: [['2026-11-20', 540, 1]],
  })
  readonly serviceByDay?: Array<[string, number, number]>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Present when the customer is parked: an event (position, eventType, error) could not be ' +
      'applied, so this view stops before it and eventsNotApplied later events are missing; ' +
      'insights are null. A rebuild after the fix clears it',
    example: {
      position: '1048213',
      eventType: 'PurchaseCompleted',
      error: "Cannot read properties of undefined (reading 'currency')",
      eventsNotApplied: 2,
    },
  })
  readonly stale?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Value tier, churn risk with reasons, lifecycle segment and `value` (CLV, tier by predicted value, ' +
      'cost to serve, net value) as of `asOf`',
  })
  readonly insights?: Record<string, unknown> | null;
  @ApiProperty({ type: ProfileMembershipDto })
  readonly profile!: ProfileMembershipDto;
}
