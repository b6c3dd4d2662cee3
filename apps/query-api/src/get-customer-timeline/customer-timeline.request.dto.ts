import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ZONED_DATE_TIME } from '@rapport/contract';
import { CHANNELS, TOUCHPOINT_TYPES } from '@rapport/domain';
import { ToInt, ToList } from '@rapport/http';

export class CustomerTimelineRequestDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50, description: 'Page size (JSON)' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    description: 'From a previous page: nextCursor (a stream revision). CSV starts there too.',
    example: '120',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({
    description: 'Touchpoint types, comma-separated or repeated',
    enum: TOUCHPOINT_TYPES,
    isArray: true,
  })
  @IsOptional()
  @ToList()
  @IsIn(TOUCHPOINT_TYPES, {
    each: true,
    message: `type must be among: ${TOUCHPOINT_TYPES.join(', ')}`,
  })
  type?: string[];

  @ApiPropertyOptional({
    description: 'Channels, comma-separated or repeated',
    enum: CHANNELS,
    isArray: true,
  })
  @IsOptional()
  @ToList()
  @IsIn(CHANNELS, { each: true, message: `channel must be among: ${CHANNELS.join(', ')}` })
  channel?: string[];

  @ApiPropertyOptional({
    description: 'occurredAt at or after (ISO 8601 with a zone)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: 'from must be an ISO 8601 date-time with Z or an offset' })
  from?: string;

  @ApiPropertyOptional({
    description: 'occurredAt before (ISO 8601 with a zone)',
    example: '2027-01-01T00:00:00Z',
  })
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: 'to must be an ISO 8601 date-time with Z or an offset' })
  to?: string;
}
