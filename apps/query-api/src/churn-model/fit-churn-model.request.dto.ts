import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { periodStartInstant } from '@rapport/analytics';
import { AsOfRequestDto } from '../shared/as-of.request.dto';

export class FitChurnModelRequestDto extends AsOfRequestDto {
  @ApiPropertyOptional({
    enum: ['days', 'weeks'],
    description: 'Time unit of the fit (α scales with it); default weeks',
  })
  @IsOptional()
  @IsIn(['days', 'weeks'], { message: 'unit must be days or weeks' })
  unit?: 'days' | 'weeks';

  @ApiPropertyOptional({
    description:
      'Fit on the calibration period before this instant and check the fit on the holdout from it up to asOf: ' +
      'a date YYYY-MM-DD means the start of that UTC day. The table (actual vs predicted holdout transactions ' +
      'per number of calibration repeat transactions) shows in GET /v1/model afterwards',
    example: '2026-07-01',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isPeriodStart',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isPeriodStart(value),
      defaultMessage: () =>
        'holdoutFrom must be an ISO 8601 date-time with Z or an offset, or a date YYYY-MM-DD that exists',
    },
  })
  holdoutFrom?: string;
}

function isPeriodStart(value: string): boolean {
  try {
    periodStartInstant(value);
    return true;
  } catch {
    return false;
  }
}
