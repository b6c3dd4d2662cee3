import { Controller, Get, Req, type StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiJsonOrCsvResponse,
  ApiProblemResponses,
  csvFile,
  Roles,
  ValidatedQuery,
  wantsCsv,
} from '@rapport/http';
import type { LedgerQuery } from '@rapport/signal-delivery';
import { signalDtoOf, signalsFrom, type SignalsPage } from '../shared/signals-page';
import { signalsFilterOf } from '../shared/signals-page.request.dto';
import { SIGNALS_CSV_COLUMNS, SIGNALS_CSV_EXAMPLE } from '../shared/signals.csv';
import { SignalsResponseDto } from '../shared/signals.response.dto';
import { ListSignalsRequestDto } from './list-signals.request.dto';
import { ListSignalsQuery } from './list-signals.query';

const CSV_PAGE = 1000;

@ApiTags('signals')
@Roles('analyst')
@Controller('v1/signals')
export class SignalsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Retention signals derived so far, with reason, evidence and delivery status',
    description:
      'In the order they were derived. JSON is paged (limit, cursor). CSV streams every matching signal from the cursor on, ignoring limit.',
  })
  @ApiJsonOrCsvResponse(SignalsResponseDto, SIGNALS_CSV_EXAMPLE)
  @ApiProblemResponses(400)
  async list(
    @ValidatedQuery() query: ListSignalsRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<SignalsResponseDto | StreamableFile> {
    const csv = wantsCsv(request);
    const filter: LedgerQuery = {
      ...signalsFilterOf(query, csv ? CSV_PAGE : undefined),
      ...(query.customer ? { customerId: query.customer } : {}),
    };
    const first = await this.page(filter);
    if (!csv)
      return {
        items: first.items.map(signalDtoOf),
        ...(first.nextCursor ? { nextCursor: first.nextCursor } : {}),
      };
    return csvFile(
      'signals.csv',
      SIGNALS_CSV_COLUMNS,
      signalsFrom(first, (after) => this.page({ ...filter, after })),
    );
  }

  private page(filter: LedgerQuery): Promise<SignalsPage> {
    return this.queryBus.execute(new ListSignalsQuery(filter));
  }
}
