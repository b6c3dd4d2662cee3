import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import { SignalsPageRequestDto } from '../shared/signals-page.request.dto';

export class ListSignalsRequestDto extends SignalsPageRequestDto {
  @ApiPropertyOptional({
    description:
      "Only signals about this customer; any member of a merged profile gives every member's signals",
    example: 'C-1001',
  })
  @IsOptional()
  @Matches(CUSTOMER_ID_PATTERN, { message: 'customer must be a customer id' })
  customer?: string;
}
