import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, Roles } from '@rapport/http';
import { REBUILD_EXAMPLE } from '../shared/rebuild-example';
import {
  GetProjectionStatusQuery,
  type ProjectionStatusResult,
} from './get-projection-status.query';

const STATUS_EXAMPLE = {
  head: '1048575',
  projections: [
    {
      name: 'customer-view',
      generation: 1,
      collection: 'customer-view@g1',
      records: 20000,
      position: '1048570',
      lag: '5',
      building: { generation: 2, position: '182000' },
      parked: {
        count: 1,
        customers: [
          {
            customerId: 'C-1001',
            projection: 'customer-view',
            position: '1048213',
            eventType: 'PurchaseCompleted',
            error: "Cannot read properties of undefined (reading 'currency')",
          },
        ],
      },
    },
  ],
  churnModel: {
    fittedAt: '2026-11-27T12:00:01.204Z',
    asOf: '2026-11-27T12:00:00.000Z',
    customers: 14210,
    logLikelihood: -41822.7,
    params: { r: 0.78, alpha: 5.9, a: 0.71, b: 2.6 },
  },
  insightsExcluded: {
    count: 1,
    customers: [
      {
        customerId: 'C-1001',
        reason:
          "parked: event PurchaseCompleted at position 1048213 could not be applied (Cannot read properties of undefined (reading 'currency'))",
      },
    ],
  },
  rebuilds: [REBUILD_EXAMPLE],
};

@ApiTags('projections')
@Roles('analyst')
@Controller('v1/projections')
export class ProjectionStatusHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('status')
  @ApiOperation({
    summary:
      'Projection status: position, lag, active generation, parked customers, rebuilds, last model fit',
  })
  @ApiOkResponse({ description: 'The status', schema: { type: 'object', example: STATUS_EXAMPLE } })
  @ApiProblemResponses(503)
  async status(): Promise<ProjectionStatusResult> {
    return this.queryBus.execute(new GetProjectionStatusQuery());
  }
}
