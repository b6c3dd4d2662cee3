import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { parseAsOf } from '../shared/query-params';
import { GetTierSummaryQuery, type TierSummaryResult } from './get-tier-summary.query';

@Controller('v1/tiers')
export class TiersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Cutoffs, counts, revenue shares, Lorenz curve and Gini; `asOf` recomputes for that date. */
  @Get()
  async summary(@QueryParam('asOf') asOf?: string): Promise<TierSummaryResult> {
    return this.queryBus.execute(new GetTierSummaryQuery(asOf ? parseAsOf(asOf) : undefined));
  }
}
