import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import { badRequest, notFound } from '@rapport/http';
import type { CustomerView } from '@rapport/projections';
import { GetCustomerViewQuery } from './get-customer-view.query';

export type CustomerViewResponseDto = CustomerView & { readonly position: string };

@Controller('v1/customers')
export class CustomersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':customerId')
  async get(@Param('customerId') customerId: string): Promise<CustomerViewResponseDto> {
    if (!CUSTOMER_ID_PATTERN.test(customerId)) {
      throw badRequest('customerId is not a valid customer id', [
        {
          path: 'customerId',
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        },
      ]);
    }
    const result = await this.queryBus.execute(new GetCustomerViewQuery(customerId));
    if (!result) throw notFound(`no touchpoints have been recorded for customer ${customerId}`);
    return { ...result.view, position: result.position.toString() };
  }
}
