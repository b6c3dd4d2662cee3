import { Controller, Get, Req, type StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiJsonOrCsvResponse,
  ApiProblemResponses,
  MinPosition,
  Roles,
  ValidatedQuery,
} from '@rapport/http';
import { AtRiskPageDto } from '../shared/insights-rows.response.dto';
import { INSIGHTS_ROW_CSV_EXAMPLE, insightsRowCsvColumns } from '../shared/insights-row.csv';
import { AtRiskRequestDto } from '../shared/insights-rows.request.dto';
import { answerList } from '../shared/list-answer';
import { GetAtRiskQuery, type AtRiskPage } from './get-at-risk.query';

@ApiTags('churn')
@Roles('analyst')
@Controller('v1/at-risk')
export class AtRiskHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Customers at risk, most value at risk first, with the reasons',
    description:
      'Each item carries reason codes with explanations and the numbers behind them; CSV carries the codes. ' +
      'Sorted by value at risk, most first, unless `sort` and `order` say otherwise.',
  })
  @ApiJsonOrCsvResponse(AtRiskPageDto, INSIGHTS_ROW_CSV_EXAMPLE)
  @ApiProblemResponses(400, 410, 503)
  async list(
    @ValidatedQuery() query: AtRiskRequestDto,
    @Req() request: FastifyRequest,
    @MinPosition() minPosition?: bigint,
  ): Promise<AtRiskPage | StreamableFile> {
    return answerList(
      request,
      query,
      { filename: 'at-risk.csv', columns: insightsRowCsvColumns },
      ({ limit, after, csv }) =>
        this.queryBus.execute(
          new GetAtRiskQuery(
            query.minBand ?? 'medium',
            query.tier,
            limit,
            after,
            !csv,
            minPosition,
            query.sort,
            query.order,
          ),
        ),
    );
  }
}
