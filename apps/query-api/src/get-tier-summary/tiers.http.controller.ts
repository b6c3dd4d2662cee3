import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@rapport/http';
import { parseAsOf } from '../shared/query-params';
import { GetTierSummaryQuery, type TierSummaryResult } from './get-tier-summary.query';

@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/tiers')
export class TiersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Cutoffs, counts, revenue shares, Lorenz curve and Gini; `asOf` recomputes for that date. */
  @Get()
  async summary(@QueryParam('asOf') asOf?: string): Promise<TierSummaryResult> {
    return this.queryBus.execute(new GetTierSummaryQuery(asOf ? parseAsOf(asOf) : undefined));
  }
}
