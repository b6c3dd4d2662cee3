import { Controller, Get, Inject, Req, type StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import {
  ApiJsonOrCsvResponse,
  ApiProblemResponses,
  badRequest,
  MinPosition,
  Roles,
  ValidatedQuery,
} from '@rapport/http';
import { FindProfileMembersQuery } from '../get-identity/find-profile-members.query';
import { parseIdentifierFilter } from '../shared/identifier-param';
import { answerList } from '../shared/list-answer';
import { CustomersPageDto } from '../shared/insights-rows.response.dto';
import { INSIGHTS_ROW_CSV_EXAMPLE, insightsRowCsvColumns } from '../shared/insights-row.csv';
import { ListCustomersQuery, type CustomersPage } from './list-customers.query';
import { ListCustomersRequestDto } from '../shared/insights-rows.request.dto';

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomersListHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Customers filtered by tier, segment, risk band, channel, last seen and identifier',
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
    const customerIds = await this.membersNamedBy(query.identifier);
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
              customerIds,
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

  private async membersNamedBy(identifier?: string): Promise<readonly string[] | undefined> {
    if (identifier === undefined) return undefined;
    const parsed = parseIdentifierFilter(identifier, this.config.identity);
    if (!parsed.ok) throw badRequest('the identifier filter is not valid', parsed.errors);
    return this.queryBus.execute(new FindProfileMembersQuery(parsed.identifier));
  }
}

function utc(at: string | undefined): string | undefined {
  return at === undefined ? undefined : new Date(at).toISOString();
}
