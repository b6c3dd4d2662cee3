import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { LIFECYCLE_SEGMENTS, VALUE_TIERS } from '@rapport/analytics';
import { ZONED_DATE_TIME } from '@rapport/contract';
import { CHANNELS } from '@rapport/domain';
import { ToInt } from '@rapport/http';
import { SORT_KEYS } from './rows-page';

const RISK_BANDS = ['low', 'medium', 'high'] as const;
const DATE_MESSAGE = 'must be an ISO 8601 date-time with Z or an offset';

export class PageRequestDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10_000,
    default: 100,
    description: 'Page size (JSON; CSV returns all)',
  })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(10_000)
  limit?: number;

  @ApiPropertyOptional({ description: '`next` from the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class ListCustomersRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: VALUE_TIERS }) @IsOptional() @IsIn(VALUE_TIERS) tier?: string;
  @ApiPropertyOptional({ enum: LIFECYCLE_SEGMENTS })
  @IsOptional()
  @IsIn(LIFECYCLE_SEGMENTS)
  segment?: string;
  @ApiPropertyOptional({ enum: RISK_BANDS }) @IsOptional() @IsIn(RISK_BANDS) riskBand?: string;
  @ApiPropertyOptional({ enum: CHANNELS, description: 'Customers who used this channel' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @ApiPropertyOptional({
    description: "Last seen (the customer's own latest step) at or after (event time)",
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: `lastSeenFrom ${DATE_MESSAGE}` })
  lastSeenFrom?: string;

  @ApiPropertyOptional({ description: 'Last seen at or before (event time)' })
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: `lastSeenTo ${DATE_MESSAGE}` })
  lastSeenTo?: string;

  @ApiPropertyOptional({ enum: VALUE_TIERS, description: 'Tier by predicted value (CLV)' })
  @IsOptional()
  @IsIn(VALUE_TIERS)
  predictedTier?: string;

  @ApiPropertyOptional({
    description: 'CLV at least this, in minor units of the reporting currency',
  })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'clvFrom must be an integer (minor units)' })
  clvFrom?: number;

  @ApiPropertyOptional({
    description: 'CLV at most this, in minor units of the reporting currency',
  })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'clvTo must be an integer (minor units)' })
  clvTo?: number;

  @ApiPropertyOptional({
    description:
      'Only the profile this identifier names (type:value, normalised as touchpoints are; all its merged members). Unknown: an empty page',
    example: 'email:ada@example.com',
  })
  @IsOptional()
  @IsString()
  identifier?: string;

  @ApiPropertyOptional({ enum: SORT_KEYS, default: 'revenue' })
  @IsOptional()
  @IsIn(SORT_KEYS)
  sort?: (typeof SORT_KEYS)[number];
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export class AtRiskRequestDto extends PageRequestDto {
  @ApiPropertyOptional({
    enum: ['medium', 'high'],
    default: 'medium',
    description: 'Lowest risk band listed',
  })
  @IsOptional()
  @IsIn(['medium', 'high'])
  minBand?: 'medium' | 'high';

  @ApiPropertyOptional({ enum: VALUE_TIERS }) @IsOptional() @IsIn(VALUE_TIERS) tier?: string;

  @ApiPropertyOptional({ enum: SORT_KEYS, default: 'valueAtRisk' })
  @IsOptional()
  @IsIn(SORT_KEYS)
  sort?: (typeof SORT_KEYS)[number];
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}
