import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ZONED_DATE_TIME } from '@rapport/contract';

export const AS_OF_DESCRIPTION =
  'Instant the answer is computed as of (ISO 8601 with Z or an offset). Default: now, against the latest insights snapshot; ' +
  'an explicit asOf recomputes the population model as of that instant (only events up to it count).';

export class AsOfRequestDto {
  @ApiPropertyOptional({ description: AS_OF_DESCRIPTION, example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @Matches(ZONED_DATE_TIME, { message: 'asOf must be an ISO 8601 date-time with Z or an offset' })
  asOf?: string;
}

/** The validated asOf in canonical UTC form, or undefined for "now". */
export function asOfOf(query: AsOfRequestDto): string | undefined {
  if (query.asOf === undefined) return undefined;
  return new Date(query.asOf).toISOString();
}
