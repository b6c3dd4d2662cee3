import { Controller, Get, Param, Req, type StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import type { TouchpointType } from '@rapport/domain';
import {
  ApiJsonOrCsvResponse,
  ApiProblemResponses,
  badRequest,
  csvFile,
  notFound,
  Roles,
  ValidatedQuery,
  wantsCsv,
} from '@rapport/http';
import { CustomerTimelineRequestDto } from './customer-timeline.request.dto';
import { CustomerTimelineResponseDto } from './customer-timeline.response.dto';
import { GetCustomerTimelineQuery, type TimelinePage } from './get-customer-timeline.query';
import type { TimelineFilter, TimelineItem } from './timeline-item';
import { TIMELINE_CSV_COLUMNS, TIMELINE_CSV_EXAMPLE } from './timeline.csv';

const CSV_PAGE = 1000;

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomerTimelineHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':customerId/timeline')
  @ApiOperation({
    summary: "A customer's touchpoints from the event store, newest recorded first",
    description:
      'JSON is paged (limit, cursor). CSV streams every matching touchpoint from the cursor on, ignoring limit.',
  })
  @ApiParam({ name: 'customerId', example: 'C-1001' })
  @ApiJsonOrCsvResponse(CustomerTimelineResponseDto, TIMELINE_CSV_EXAMPLE)
  @ApiProblemResponses(400, 404)
  async timeline(
    @Param('customerId') customerId: string,
    @ValidatedQuery() query: CustomerTimelineRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<CustomerTimelineResponseDto | StreamableFile> {
    if (!CUSTOMER_ID_PATTERN.test(customerId)) {
      throw badRequest('customerId is not a valid customer id', [
        { path: 'customerId', message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ -' },
      ]);
    }
    const csv = wantsCsv(request);
    const filter = toFilter(query);
    const before = query.cursor === undefined ? undefined : BigInt(query.cursor);
    const limit = csv ? CSV_PAGE : (query.limit ?? 50);
    // The first page is read before answering, so an unknown customer is a 404, not an empty file.
    const first = await this.page(customerId, filter, limit, before);
    if (!first) throw notFound(`no touchpoints have been recorded for customer ${customerId}`);
    if (!csv) {
      const { members, ...page } = first;
      return {
        customerId,
        ...page,
        items: [...page.items],
        ...(members ? { members: [...members] } : {}),
      };
    }
    return csvFile(
      `timeline-${customerId}.csv`,
      TIMELINE_CSV_COLUMNS,
      this.allFrom(first, customerId, filter),
    );
  }

  private page(customerId: string, filter: TimelineFilter, limit: number, before?: bigint) {
    return this.queryBus.execute(new GetCustomerTimelineQuery(customerId, filter, limit, before));
  }

  private async *allFrom(
    first: TimelinePage,
    customerId: string,
    filter: TimelineFilter,
  ): AsyncGenerator<TimelineItem> {
    let page: TimelinePage | undefined = first;
    while (page) {
      yield* page.items;
      page = page.nextCursor
        ? await this.page(customerId, filter, CSV_PAGE, BigInt(page.nextCursor))
        : undefined;
    }
  }
}

function toFilter(query: CustomerTimelineRequestDto): TimelineFilter {
  return {
    ...(query.type?.length ? { types: query.type as TouchpointType[] } : {}),
    ...(query.channel?.length ? { channels: query.channel } : {}),
    ...(query.from ? { fromMs: Date.parse(query.from) } : {}),
    ...(query.to ? { toMs: Date.parse(query.to) } : {}),
  };
}
