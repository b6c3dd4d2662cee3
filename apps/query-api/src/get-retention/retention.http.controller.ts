import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, MinPosition, Roles, ValidatedQuery } from '@rapport/http';
import { asOfOf, AsOfRequestDto } from '../shared/as-of.request.dto';
import { GetRetentionQuery, type RetentionResult } from './get-retention.query';

const RETENTION_EXAMPLE = {
  asOf: '2026-11-27T12:00:00.000Z',
  buyers: 14_210,
  repeatBuyers: 8_002,
  repeatPurchaseRate: 0.563,
  purchases: 61_204,
  cancellations: 3_671,
  cancellationRate: 0.06,
  cohorts: {
    maxMonthOffset: 1,
    partialMonth: '2026-11',
    cohorts: [
      {
        cohort: '2026-09',
        size: 610,
        retainedCustomers: [610, 122],
        retentionRates: [1, 0.2],
      },
      { cohort: '2026-10', size: 598, retainedCustomers: [598], retentionRates: [1] },
    ],
  },
};

@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/retention')
export class RetentionHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Repeat purchase rate, cancellation rate and the monthly cohort retention table',
  })
  @ApiOkResponse({
    description:
      'Retention metrics. The cohort table counts calendar months complete as of asOf only: ' +
      'the month asOf falls in (`partialMonth`, null when asOf is its last instant) is left out ' +
      'of every row, and its own cohort has no row yet, so a month still running never reads ' +
      'as a drop in retention',
    schema: { type: 'object', example: RETENTION_EXAMPLE },
  })
  @ApiProblemResponses(400, 503)
  async retention(
    @ValidatedQuery() query: AsOfRequestDto,
    @MinPosition() minPosition?: bigint,
  ): Promise<RetentionResult> {
    return this.queryBus.execute(new GetRetentionQuery(asOfOf(query), minPosition));
  }
}
