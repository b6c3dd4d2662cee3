import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@rapport/http';
import { AtRiskRequestDto } from '../list-customers/list-customers.request.dto';
import { decodeCursor } from '../shared/page-cursor';
import { parseQuery } from '../shared/query-params';
import { GetAtRiskQuery, type AtRiskPage } from './get-at-risk.query';

@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/at-risk')
export class AtRiskHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  async list(@QueryParams() raw: Record<string, unknown>): Promise<AtRiskPage> {
    const params = parseQuery(AtRiskRequestDto, raw);
    return this.queryBus.execute(
      new GetAtRiskQuery(
        params.minBand ?? 'medium',
        params.tier,
        params.limit ?? 100,
        decodeCursor(params.cursor),
      ),
    );
  }
}
