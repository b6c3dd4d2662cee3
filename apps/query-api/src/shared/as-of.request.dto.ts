import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { asOfInstant, endOfPlainDate } from '@rapport/analytics';
import { ZONED_DATE_TIME } from '@rapport/contract';

export const AS_OF_DESCRIPTION =
  'Instant the answer is computed as of: an ISO 8601 date-time with Z or an offset, or a plain ' +
  'date YYYY-MM-DD meaning the end of that UTC day (all of it counts; the CLI reads --as-of the ' +
  'same way). Default: now, against the latest insights snapshot; an explicit asOf recomputes ' +
  'the population model as of that instant (only customers and events up to it count).';

const AS_OF_MESSAGE =
  'asOf must be an ISO 8601 date-time with Z or an offset, or a date YYYY-MM-DD that exists';

/** A date-time with a zone, or a plain date naming a real day. */
function isAsOf(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (ZONED_DATE_TIME.test(value)) return Number.isFinite(Date.parse(value));
  return endOfPlainDate(value) !== null;
}

export class AsOfRequestDto {
  @ApiPropertyOptional({
    description: AS_OF_DESCRIPTION,
    example: '2026-06-30',
    oneOf: [
      { type: 'string', format: 'date-time' },
      { type: 'string', format: 'date' },
    ],
  })
  @IsOptional()
  @ValidateBy({
    name: 'isAsOf',
    validator: { validate: isAsOf, defaultMessage: () => AS_OF_MESSAGE },
  })
  asOf?: string;
}

/** The validated asOf in canonical UTC form (a plain date: its last instant), or undefined for "now". */
export function asOfOf(query: AsOfRequestDto): string | undefined {
  if (query.asOf === undefined) return undefined;
  return asOfInstant(query.asOf);
}
