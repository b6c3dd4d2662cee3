import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What every write answer says about the items it took, whichever route took them. */
export class RecordedCountsResponseDto {
  @ApiPropertyOptional({
    description:
      'Global position (a decimal string: it is a 64-bit number) to pass as X-Min-Position; also in the X-Position header. ' +
      'Absent when nothing was written to read back.',
    example: '42',
  })
  readonly position?: string;
  @ApiProperty({ example: 1 })
  readonly recorded!: number;
  @ApiProperty({ example: 0 })
  readonly duplicates!: number;
  @ApiProperty({ example: 0 })
  readonly rejected!: number;
}

/** The position (when something is stored) and how many items ended in each outcome. */
export function recordedCounts(
  position: bigint,
  items: readonly { readonly status: string }[],
): RecordedCountsResponseDto {
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return {
    ...(position >= 0n ? { position: position.toString() } : {}),
    recorded: count('recorded'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
  };
}
