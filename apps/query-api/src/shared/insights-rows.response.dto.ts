import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHURN_REASON_CODES, LIFECYCLE_SEGMENTS, VALUE_TIERS } from '@rapport/analytics';
import { CHANNELS } from '@rapport/domain';

/** Every list names its next page's cursor `nextCursor`. */
export const NEXT_CURSOR_PROPERTY = {
  description: 'Cursor of the next page (pass it as `cursor`); absent on the last page',
  example: 'WzEzMjg0MCwiQy0xMDAxIiwzXQ',
} as const;

/** The name the first lists gave it, answered beside `nextCursor` so older clients keep paging. */
export const DEPRECATED_NEXT_PROPERTY = {
  description: 'Deprecated: the same cursor as `nextCursor`, kept for clients written before it',
  deprecated: true,
} as const;

export class InsightsRowDto {
  @ApiProperty({ example: 'C-1001' }) customerId!: string;
  @ApiProperty({
    description: 'Trailing-window net revenue, integer minor units of the reporting currency',
    example: 184500,
  })
  revenueMinor!: number;
  @ApiProperty({ enum: VALUE_TIERS, example: 'A' }) valueTier!: string;
  @ApiProperty({ enum: LIFECYCLE_SEGMENTS, example: 'migrating' }) segment!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 72 }) riskScore!: number;
  @ApiProperty({ enum: ['low', 'medium', 'high'], example: 'high' }) riskBand!: string;
  @ApiProperty({ example: 0.72 }) churnProbability!: number;
  @ApiProperty({ description: 'Expected revenue lost, integer minor units', example: 132840 })
  valueAtRiskMinor!: number;
  @ApiProperty({
    nullable: true,
    example: 0.41,
    description: 'BG/NBD P(alive); null without a fitted model',
  })
  probabilityAlive!: number | null;
  @ApiProperty({ enum: CHURN_REASON_CODES, isArray: true, example: ['PURCHASE_OVERDUE'] })
  reasonCodes!: string[];
  @ApiProperty({
    example: '2025-02-03T10:00:00.000Z',
    description: 'First touchpoint of any kind (event time)',
  })
  firstSeenAt!: string;
  @ApiProperty({
    example: '2026-06-30T18:12:00.000Z',
    nullable: true,
    type: String,
    description:
      "The customer's own latest step (visit, inbound call, email sent or opened/clicked/replied " +
      'by them, purchase, cancellation, complaint), never the business reaching out; null if ' +
      'they took none. As of a past asOf before their latest step: the start of the last day ' +
      'with a step of theirs up to asOf',
  })
  lastSeenAt!: string | null;
  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['store', 'web'] }) channels!: string[];
  @ApiPropertyOptional({
    nullable: true,
    example: 61200,
    description:
      'CLV: expected discounted margin over CLV_HORIZON_MONTHS (BG/NBD × Gamma-Gamma), minor units; ' +
      'null when it cannot be predicted (no fit, no purchase in the reporting currency)',
  })
  clvMinor?: number | null;
  @ApiPropertyOptional({
    enum: VALUE_TIERS,
    example: 'B',
    description: 'Tier by CLV (predicted value)',
  })
  predictedTier?: string;
  @ApiPropertyOptional({
    example: 4200,
    description: 'Cost to serve in the trailing window, minor units',
  })
  costToServeMinor?: number;
  @ApiPropertyOptional({
    example: 2950,
    description: 'Expected cost to serve over the CLV horizon',
  })
  predictedCostMinor?: number;
  @ApiPropertyOptional({ nullable: true, example: 58250, description: 'CLV less predicted cost' })
  netValueMinor?: number | null;
}

export class CustomersPageDto {
  @ApiProperty({
    description: 'The instant the insights snapshot is as of',
    example: '2026-11-27T12:00:00.000Z',
  })
  asOf!: string;
  @ApiProperty({
    description: 'Snapshot the page was cut from (pages stay consistent across refreshes)',
  })
  snapshotVersion!: number;
  @ApiProperty({
    description: 'Currency of every amount in the rows (minor units): the reporting currency',
    example: 'EUR',
  })
  currency!: string;
  @ApiProperty({ description: 'Rows matching the filter' }) total!: number;
  @ApiProperty({ type: [InsightsRowDto] }) items!: InsightsRowDto[];
  @ApiPropertyOptional(NEXT_CURSOR_PROPERTY) nextCursor?: string;
  @ApiPropertyOptional(DEPRECATED_NEXT_PROPERTY) next?: string;
  @ApiPropertyOptional({
    description: 'Why the list is empty, when it is',
    example: 'no customer of 23,502 matches these filters; 23,502 customers have no EUR revenue …',
  })
  note?: string;
}

export class ChurnReasonDto {
  @ApiProperty({ enum: CHURN_REASON_CODES, example: 'PURCHASE_OVERDUE' }) code!: string;
  @ApiProperty({
    example:
      "Last purchase 203 days ago: 22.6× the customer's median gap of 9 days (over 3 gaps), " +
      'and longer than their longest gap of 9 days (overdue past 4× the median and the longest gap).',
  })
  explanation!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The figures behind the reason. PURCHASE_OVERDUE: daysSinceLastPurchase, medianGapDays, ' +
      'longestGapDays, ownGapCount, ratioToMedianGap (days since / median gap), ' +
      'overdueRatioThreshold (the factor of the median it must pass), overdueAfterDays ' +
      '(max(threshold × median gap, longest gap))',
    example: {
      daysSinceLastPurchase: 203,
      medianGapDays: 9,
      longestGapDays: 9,
      ownGapCount: 3,
      ratioToMedianGap: 22.555555555555557,
      overdueRatioThreshold: 4,
      overdueAfterDays: 36,
    },
  })
  facts!: Record<string, number | string>;
}

export class AtRiskItemDto extends InsightsRowDto {
  @ApiProperty({ type: [ChurnReasonDto] }) reasons!: ChurnReasonDto[];
}

export class AtRiskPageDto {
  @ApiProperty() asOf!: string;
  @ApiProperty() snapshotVersion!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Sum of value at risk over all matching customers, minor units' })
  totalValueAtRiskMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [AtRiskItemDto] }) items!: AtRiskItemDto[];
  @ApiPropertyOptional(NEXT_CURSOR_PROPERTY) nextCursor?: string;
  @ApiPropertyOptional(DEPRECATED_NEXT_PROPERTY) next?: string;
}
