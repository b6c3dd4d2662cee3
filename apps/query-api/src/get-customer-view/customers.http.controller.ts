import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import { ApiProblemResponses, badRequest, notFound, Roles, ValidatedQuery } from '@rapport/http';
import type { CustomerView } from '@rapport/projections';
import type { CustomerInsights } from '@rapport/insights';
import type { ProfileMembership } from '@rapport/projector';
import { asOfOf, AsOfRequestDto } from '../shared/as-of.request.dto';
import { CustomerViewDto } from '../shared/customer-view.response.dto';
import { GetCustomerViewQuery } from './get-customer-view.query';

export type CustomerViewResponseDto = CustomerView & {
  readonly position: string;
  readonly insights: CustomerInsights | null;
  readonly profile: ProfileMembership;
};

@ApiTags('customers')
@Roles('analyst')
@Controller('v1/customers')
export class CustomersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':customerId')
  @ApiOperation({
    summary:
      'The single customer view, with value tier, churn risk (reasons) and lifecycle segment. ' +
      'A customer merged into a profile answers the profile\'s view (every member\'s events); ' +
      '`profile` names it and its members',
  })
  @ApiParam({ name: 'customerId', example: 'C-1001' })
  @ApiOkResponse({ type: CustomerViewDto })
  @ApiProblemResponses(400, 404, 503)
  async get(
    @Param('customerId') customerId: string,
    @ValidatedQuery() query: AsOfRequestDto,
  ): Promise<CustomerViewResponseDto> {
    if (!CUSTOMER_ID_PATTERN.test(customerId)) {
      throw badRequest('customerId is not a valid customer id', [
        {
          path: 'customerId',
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        },
      ]);
    }
    const result = await this.queryBus.execute(new GetCustomerViewQuery(customerId, asOfOf(query)));
    if (!result) throw notFound(`no touchpoints have been recorded for customer ${customerId}`);
    return {
      ...result.view,
      position: result.position.toString(),
      insights: result.insights,
      profile: result.profile,
    };
  }
}
