import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

const DRY_RUN_VALUES = ['true', 'false', '1', '0'] as const;

export class RebuildProjectionRequestDto {
  @ApiPropertyOptional({
    enum: DRY_RUN_VALUES,
    description: 'true (or 1): build and compare with the live view, never switch; default false',
  })
  @IsOptional()
  @IsIn(DRY_RUN_VALUES, { message: 'dryRun must be true or false (or 1 or 0)' })
  dryRun?: (typeof DRY_RUN_VALUES)[number];

  /** Anything but an explicit yes is a real rebuild; what is not a yes or a no never got here. */
  get isDryRun(): boolean {
    return this.dryRun === 'true' || this.dryRun === '1';
  }
}
