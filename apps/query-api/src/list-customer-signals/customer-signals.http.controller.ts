import { Controller, Get, Param, Req, type StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
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
import type { LedgerQuery } from '@rapport/signal-delivery';
import { signalDtoOf, signalsFrom, type SignalsPage } from '../shared/signals-page';
import { signalsFilterOf } from '../shared/signals-page.request.dto';
import { SIGNALS_CSV_COLUMNS, SIGNALS_CSV_EXAMPLE } from '../shared/signals.csv';
import { SignalsResponseDto } from '../shared/signals.response.dto';
import { CustomerSignalsRequestDto } from './customer-signals.request.dto';
import { ListCustomerSignalsQuery } from './list-customer-signals.query';

const CSV_PAGE = 1000;

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomerSignalsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':customerId/signals')
  @ApiOperation({
    summary: "The retention signals about a customer's profile, in the order they were derived",
    description:
      'As GET /v1/signals?customer= lists them: any member of a merged profile gives every ' +
      "member's signals. JSON is paged (limit, cursor). CSV streams every matching signal from " +
      'the cursor on, ignoring limit. 404 when no touchpoint was recorded for the customer.',
  })
  @ApiParam({ name: 'customerId', example: 'C-1001' })
  @ApiJsonOrCsvResponse(SignalsResponseDto, SIGNALS_CSV_EXAMPLE)
  @ApiProblemResponses(400, 404)
  async list(
    @Param('customerId') customerId: string,
    @ValidatedQuery() query: CustomerSignalsRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<SignalsResponseDto | StreamableFile> {
    if (!CUSTOMER_ID_PATTERN.test(customerId)) {
      throw badRequest('customerId is not a valid customer id', [
        {
          path: 'customerId',
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        },
      ]);
    }
    const csv = wantsCsv(request);
    const filter = signalsFilterOf(query, csv ? CSV_PAGE : undefined);
    // The first page is read before answering, so an unknown customer is a 404, not an empty file.
    const first = await this.page(customerId, filter);
    if (!first) throw notFound(`no touchpoints have been recorded for customer ${customerId}`);
    if (!csv)
      return {
        items: first.items.map(signalDtoOf),
        ...(first.nextCursor ? { nextCursor: first.nextCursor } : {}),
      };
    return csvFile(
      `signals-${customerId}.csv`,
      SIGNALS_CSV_COLUMNS,
      signalsFrom(first, (after) => this.page(customerId, { ...filter, after })),
    );
  }

  private page(customerId: string, filter: LedgerQuery): Promise<SignalsPage | undefined> {
    return this.queryBus.execute(new ListCustomerSignalsQuery(customerId, filter));
  }
}
