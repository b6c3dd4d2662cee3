import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AsOfRequestDto } from '../shared/as-of.request.dto';

export class FitChurnModelRequestDto extends AsOfRequestDto {
  @ApiPropertyOptional({
    enum: ['days', 'weeks'],
    description: 'Time unit of the fit (α scales with it); default weeks',
  })
  @IsOptional()
  @IsIn(['days', 'weeks'], { message: 'unit must be days or weeks' })
  unit?: 'days' | 'weeks';
}
