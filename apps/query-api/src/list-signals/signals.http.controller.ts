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
import type { LedgerEntry, LedgerQuery } from '@rapport/signal-delivery';
import type { SignalRuleName } from '@rapport/signals';
import { ListSignalsRequestDto } from './list-signals.request.dto';
import { ListSignalsQuery, type SignalsPage } from './list-signals.query';
import { SIGNALS_CSV_COLUMNS, SIGNALS_CSV_EXAMPLE } from './signals.csv';
import { SignalsResponseDto, type SignalDto } from './signals.response.dto';

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
      ...(query.rule ? { rule: query.rule as SignalRuleName } : {}),
      ...(query.customer ? { customerId: query.customer } : {}),
      ...(query.since ? { since: query.since } : {}),
      ...(query.cursor ? { after: Number(query.cursor) } : {}),
      limit: csv ? CSV_PAGE : (query.limit ?? 50),
    };
    const first = await this.page(filter);
    if (!csv)
      return {
        items: first.items.map(toDto),
        ...(first.nextCursor ? { nextCursor: first.nextCursor } : {}),
      };
    return csvFile('signals.csv', SIGNALS_CSV_COLUMNS, this.allFrom(first, filter));
  }

  private page(filter: LedgerQuery): Promise<SignalsPage> {
    return this.queryBus.execute(new ListSignalsQuery(filter));
  }

  private async *allFrom(first: SignalsPage, filter: LedgerQuery): AsyncGenerator<SignalDto> {
    let page: SignalsPage | undefined = first;
    while (page) {
      yield* page.items.map(toDto);
      page = page.nextCursor
        ? await this.page({ ...filter, after: Number(page.nextCursor) })
        : undefined;
    }
  }
}

function toDto(entry: LedgerEntry): SignalDto {
  return {
    ...entry.signal,
    valueAtStake: entry.signal.valueAtStake ? { ...entry.signal.valueAtStake } : null,
    evidence: {
      events: [...entry.signal.evidence.events],
      figures: { ...entry.signal.evidence.figures },
      ...(entry.signal.evidence.snapshot
        ? { snapshot: { asOf: entry.signal.evidence.snapshot.asOf } }
        : {}),
    },
    status: entry.status,
    derivedAtPosition: entry.derivedAtPosition.toString(),
  };
}
