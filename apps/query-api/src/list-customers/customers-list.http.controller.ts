import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@rapport/http';
import { parseQuery } from '../shared/query-params';
import { decodeCursor } from '../shared/page-cursor';
import { ListCustomersQuery, type CustomersPage } from './list-customers.query';
import { ListCustomersRequestDto } from './list-customers.request.dto';

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomersListHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Customers filtered by tier, segment, risk band, channel and last seen; keyset-paged. */
  @Get()
  async list(@QueryParams() raw: Record<string, unknown>): Promise<CustomersPage> {
    const params = parseQuery(ListCustomersRequestDto, raw);
    const { tier, segment, riskBand, channel, lastSeenFrom, lastSeenTo } = params;
    return this.queryBus.execute(
      new ListCustomersQuery(
        {
          tier,
          segment,
          riskBand,
          channel,
          lastSeenFrom: normalise(lastSeenFrom),
          lastSeenTo: normalise(lastSeenTo),
        },
        params.sort ?? 'revenue',
        params.order ?? 'desc',
        params.limit ?? 100,
        decodeCursor(params.cursor),
      ),
    );
  }
}

function normalise(at: string | undefined): string | undefined {
  return at === undefined ? undefined : new Date(at).toISOString();
}
