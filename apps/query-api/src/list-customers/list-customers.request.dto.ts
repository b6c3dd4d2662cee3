import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { LIFECYCLE_SEGMENTS, VALUE_TIERS } from '@rapport/analytics';
import { ZONED_DATE_TIME } from '@rapport/contract';
import { CHANNELS } from '@rapport/domain';
import { SORT_KEYS } from './rows-page';

export class ListCustomersRequestDto {
  @IsOptional() @IsIn(VALUE_TIERS) tier?: string;
  @IsOptional() @IsIn(LIFECYCLE_SEGMENTS) segment?: string;
  @IsOptional() @IsIn(['low', 'medium', 'high']) riskBand?: string;
  @IsOptional() @IsIn(CHANNELS) channel?: string;
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: 'lastSeenFrom must be an ISO 8601 date-time with a zone' })
  lastSeenFrom?: string;
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: 'lastSeenTo must be an ISO 8601 date-time with a zone' })
  lastSeenTo?: string;
  @IsOptional() @IsIn(SORT_KEYS) sort?: (typeof SORT_KEYS)[number];
  @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) limit?: number;
  @IsOptional() @IsString() cursor?: string;
  @IsOptional() @IsString() format?: string;
}

export class AtRiskRequestDto {
  @IsOptional() @IsIn(['medium', 'high']) minBand?: 'medium' | 'high';
  @IsOptional() @IsIn(VALUE_TIERS) tier?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) limit?: number;
  @IsOptional() @IsString() cursor?: string;
  @IsOptional() @IsString() format?: string;
}
