import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ZONED_DATE_TIME } from '@rapport/contract';
import { ToInt } from '@rapport/http';
import type { LedgerQuery } from '@rapport/signal-delivery';
import { SIGNAL_RULES, type SignalRuleName } from '@rapport/signals';

/** The filters and paging every list of signals takes. */
export class SignalsPageRequestDto {
  @ApiPropertyOptional({ enum: SIGNAL_RULES, description: 'Only signals of this rule' })
  @IsOptional()
  @IsIn(SIGNAL_RULES, { message: `rule must be one of: ${SIGNAL_RULES.join(', ')}` })
  rule?: string;

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

/** The ledger query of a request's filters and paging; CSV reads `csvPage` at a time. */
export function signalsFilterOf(
  query: SignalsPageRequestDto,
  csvPage: number | undefined,
): LedgerQuery {
  return {
    ...(query.rule ? { rule: query.rule as SignalRuleName } : {}),
    ...(query.since ? { since: query.since } : {}),
    ...(query.cursor ? { after: Number(query.cursor) } : {}),
    limit: csvPage ?? query.limit ?? 50,
  };
}
