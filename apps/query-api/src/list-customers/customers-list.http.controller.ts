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
import { answerList } from '../shared/list-answer';
import { CustomersPageDto } from '../shared/insights-rows.response.dto';
import { INSIGHTS_ROW_CSV_EXAMPLE, insightsRowCsvColumns } from '../shared/insights-row.csv';
import { ListCustomersQuery, type CustomersPage } from './list-customers.query';
import { ListCustomersRequestDto } from '../shared/insights-rows.request.dto';

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomersListHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Customers filtered by tier, segment, risk band, channel and last seen',
    description:
      'Sorted by revenue, risk, value at risk, last seen, CLV, net value or cost to serve; filtered also by tier by predicted value and a CLV range. Keyset cursor paging over one snapshot: the pages of a listing come from the snapshot its first page did, while writes continue and refreshes replace it (410 once that snapshot is no longer kept).',
  })
  @ApiJsonOrCsvResponse(CustomersPageDto, INSIGHTS_ROW_CSV_EXAMPLE)
  @ApiProblemResponses(400, 410, 503)
  async list(
    @ValidatedQuery() query: ListCustomersRequestDto,
    @Req() request: FastifyRequest,
    @MinPosition() minPosition?: bigint,
  ): Promise<CustomersPage | StreamableFile> {
    return answerList(
      request,
      query,
      { filename: 'customers.csv', columns: insightsRowCsvColumns },
      ({ limit, after }) =>
        this.queryBus.execute(
          new ListCustomersQuery(
            {
              tier: query.tier,
              segment: query.segment,
              riskBand: query.riskBand,
              channel: query.channel,
              lastSeenFrom: utc(query.lastSeenFrom),
              lastSeenTo: utc(query.lastSeenTo),
              predictedTier: query.predictedTier,
              clvFrom: query.clvFrom,
              clvTo: query.clvTo,
            },
            query.sort ?? 'revenue',
            query.order ?? 'desc',
            limit,
            after,
            minPosition,
          ),
        ),
    );
  }
}

function utc(at: string | undefined): string | undefined {
  return at === undefined ? undefined : new Date(at).toISOString();
}
