import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AsOfRequestDto } from '../shared/as-of.request.dto';

export const TIER_BASES = ['revenue', 'predictedValue'] as const;
export type TierBasis = (typeof TIER_BASES)[number];

export class TiersRequestDto extends AsOfRequestDto {
  @ApiPropertyOptional({
    enum: TIER_BASES,
    default: 'revenue',
    description:
      'What customers are ranked by: trailing-window net revenue (past value), or CLV (predicted ' +
      'value, every customer with one, those who have not bought included)',
  })
  @IsOptional()
  @IsIn(TIER_BASES, { message: `by must be one of ${TIER_BASES.join(', ')}` })
  by?: TierBasis;
}
