import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import { ApiProblemResponses, badRequest, notFound, Roles } from '@rapport/http';
import type { CustomerInsights, CustomerView } from '@rapport/projections';
import { parseAsOf } from '../shared/query-params';
import { CustomerViewDto } from './customer-view.response.dto';
import { GetCustomerViewQuery } from './get-customer-view.query';

export type CustomerViewResponseDto = CustomerView & {
  readonly position: string;
  readonly insights: CustomerInsights | null;
};

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':customerId')
  @ApiOperation({ summary: 'The single customer view' })
  @ApiParam({ name: 'customerId', example: 'C-1001' })
  @ApiOkResponse({ type: CustomerViewDto })
  @ApiProblemResponses(400, 404)
  async get(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') asOf?: string,
  ): Promise<CustomerViewResponseDto> {
    if (!CUSTOMER_ID_PATTERN.test(customerId)) {
      throw badRequest('customerId is not a valid customer id', [
        {
          path: 'customerId',
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        },
      ]);
    }
    const result = await this.queryBus.execute(
      new GetCustomerViewQuery(customerId, asOf ? parseAsOf(asOf) : undefined),
    );
    if (!result) throw notFound(`no touchpoints have been recorded for customer ${customerId}`);
    return { ...result.view, position: result.position.toString(), insights: result.insights };
  }
}
