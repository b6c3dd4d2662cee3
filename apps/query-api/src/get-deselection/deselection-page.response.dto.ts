import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEPRECATED_NEXT_PROPERTY,
  InsightsRowDto,
  NEXT_CURSOR_PROPERTY,
} from '../shared/insights-rows.response.dto';

export class DeselectionItemDto extends InsightsRowDto {
  @ApiProperty({
    isArray: true,
    type: String,
    example: [
      'expected cost to serve over 12 months 5500 EUR minor units exceeds the CLV 1190 EUR minor units by 4310 EUR minor units',
      'call minutes in the trailing window: 40 costing 3200 EUR minor units',
    ],
  })
  reasons!: string[];
  @ApiProperty({
    type: 'object',
    isArray: true,
    additionalProperties: true,
    example: [{ driver: 'calls', units: 40, costMinor: 3200 }],
    description: 'Cost to serve in the trailing window per driver, most costly first',
  })
  costParts!: unknown[];
}

export class DeselectionPageDto {
  @ApiProperty({ example: '2026-11-27T12:00:00.000Z' }) asOf!: string;
  @ApiProperty() snapshotVersion!: number;
  @ApiProperty({ example: 'EUR', description: 'Currency of every amount (minor units)' })
  currency!: string;
  @ApiProperty({ example: 12, nullable: true }) horizonMonths!: number | null;
  @ApiProperty({ example: 212 }) total!: number;
  @ApiProperty({ example: -913_400, description: 'The listed net values summed' })
  totalNetValueMinor!: number;
  @ApiProperty({ type: [DeselectionItemDto] }) items!: DeselectionItemDto[];
  @ApiPropertyOptional(NEXT_CURSOR_PROPERTY) nextCursor?: string;
  @ApiPropertyOptional(DEPRECATED_NEXT_PROPERTY) next?: string;
  @ApiPropertyOptional({
    description: 'Why the list is empty, when it is',
    example: 'no unit costs are configured (COST_PER_CALL_MINUTE, …)',
  })
  note?: string;
}
