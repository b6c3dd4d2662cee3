import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@rapport/http';
import { parseAsOf } from '../shared/query-params';
import { GetRetentionQuery, type RetentionResult } from './get-retention.query';

@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/retention')
export class RetentionHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Repeat purchase rate, cancellation rate and the monthly cohort retention table. */
  @Get()
  async retention(@QueryParam('asOf') asOf?: string): Promise<RetentionResult> {
    return this.queryBus.execute(new GetRetentionQuery(asOf ? parseAsOf(asOf) : undefined));
  }
}
