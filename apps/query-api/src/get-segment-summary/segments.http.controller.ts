import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, MinPosition, Roles, ValidatedQuery } from '@rapport/http';
import { asOfOf, AsOfRequestDto } from '../shared/as-of.request.dto';
import { GetSegmentSummaryQuery, type SegmentSummaryResult } from './get-segment-summary.query';
import { SEGMENT_SUMMARY_EXAMPLE } from './segment-summary.example';

@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/segments')
export class SegmentsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary:
      'Lifecycle segments: customers, revenue, value at risk and high-risk customers per segment',
    description:
      'Every segment (new, active_value, potential, migrating, dormant) with its count and share of customers, ' +
      'trailing-window net revenue and its share, value at risk and customers in the high risk band. ' +
      'The customers of a segment: GET /v1/customers?segment=<segment>.',
  })
  @ApiOkResponse({
    description: 'The segment summary',
    schema: { type: 'object', example: SEGMENT_SUMMARY_EXAMPLE },
  })
  @ApiProblemResponses(400, 503)
  async summary(
    @ValidatedQuery() query: AsOfRequestDto,
    @MinPosition() minPosition?: bigint,
  ): Promise<SegmentSummaryResult> {
    return this.queryBus.execute(new GetSegmentSummaryQuery(asOfOf(query), minPosition));
  }
}
