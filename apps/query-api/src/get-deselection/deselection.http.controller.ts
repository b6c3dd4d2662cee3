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
import { DeselectionPageDto } from './deselection-page.response.dto';
import { DeselectionRequestDto } from './deselection.request.dto';
import { DESELECTION_CSV_EXAMPLE, deselectionCsvColumns } from './deselection.csv';
import { GetDeselectionQuery, type DeselectionPage } from './get-deselection.query';

@ApiTags('value')
@Roles('analyst')
@Controller('v1/deselection')
export class DeselectionHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Customers who cost more to serve than they are expected to bring',
    description:
      'Predicted net value = CLV (BG/NBD × Gamma-Gamma, discounted, times the margin share) less the expected cost ' +
      'to serve over the same horizon (unit costs per call minute, complaint, cancellation or return, email sent). ' +
      'Listed when negative, most negative first, with the reasons and figures; an empty list says why (`note`). CSV too.',
  })
  @ApiJsonOrCsvResponse(DeselectionPageDto, DESELECTION_CSV_EXAMPLE)
  @ApiProblemResponses(400, 410, 503)
  async list(
    @ValidatedQuery() query: DeselectionRequestDto,
    @Req() request: FastifyRequest,
    @MinPosition() minPosition?: bigint,
  ): Promise<DeselectionPage | StreamableFile> {
    return answerList(
      request,
      query,
      { filename: 'deselection.csv', columns: deselectionCsvColumns },
      ({ limit, after }) =>
        this.queryBus.execute(new GetDeselectionQuery(limit, after, minPosition)),
    );
  }
}
