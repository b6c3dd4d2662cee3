import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, MinPosition, Roles, ValidatedQuery } from '@rapport/http';
import { asOfOf } from '../shared/as-of.request.dto';
import { GetTierSummaryQuery, type TierSummaryResult } from './get-tier-summary.query';
import { TIER_SUMMARY_EXAMPLE } from './tier-summary.example';
import { TiersRequestDto } from './tiers.request.dto';

@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/tiers')
export class TiersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Pareto value tiers: cutoffs, counts, revenue shares, Lorenz curve, Gini',
    description:
      'Tier A is the smallest set of top customers reaching 80% of trailing-window net revenue, B the next up to 95%, ' +
      'C the rest with revenue; customers without revenue have no tier. `byPredictedValue` splits the CLVs the same ' +
      'way (value vs potential); `by=predictedValue` puts that split first instead. Revenue is ranked in REPORTING_CURRENCY: customers with revenue only in other ' +
      'currencies are counted in `currencies`, and `note` says so (and why, when no customer has a tier).',
  })
  @ApiOkResponse({
    description: 'The tier summary',
    schema: { type: 'object', example: TIER_SUMMARY_EXAMPLE },
  })
  @ApiProblemResponses(400, 503)
  async summary(
    @ValidatedQuery() query: TiersRequestDto,
    @MinPosition() minPosition?: bigint,
  ): Promise<TierSummaryResult> {
    return this.queryBus.execute(new GetTierSummaryQuery(asOfOf(query), minPosition, query.by));
  }
}
