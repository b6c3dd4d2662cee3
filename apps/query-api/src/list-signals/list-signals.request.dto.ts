import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CUSTOMER_ID_PATTERN, ZONED_DATE_TIME } from '@rapport/contract';
import { ToInt } from '@rapport/http';
import { SIGNAL_RULES } from '@rapport/signals';

export class ListSignalsRequestDto {
  @ApiPropertyOptional({ enum: SIGNAL_RULES, description: 'Only signals of this rule' })
  @IsOptional()
  @IsIn(SIGNAL_RULES, { message: `rule must be one of: ${SIGNAL_RULES.join(', ')}` })
  rule?: string;

  @ApiPropertyOptional({
    description:
      "Only signals about this customer; any member of a merged profile gives every member's signals",
    example: 'C-1001',
  })
  @IsOptional()
  @Matches(CUSTOMER_ID_PATTERN, { message: 'customer must be a customer id' })
  customer?: string;

  @ApiPropertyOptional({
    description: 'Only signals due at or after (ISO 8601 with a zone)',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: 'since must be an ISO 8601 date-time with Z or an offset' })
  since?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50, description: 'Page size (JSON)' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'From a previous page: nextCursor. CSV starts there too.' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}
