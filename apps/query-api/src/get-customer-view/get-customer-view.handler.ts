import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { customerViewProjection, type CustomerView } from '@rapport/projections';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { GetCustomerViewQuery, type CustomerViewResult } from './get-customer-view.query';

@QueryHandler(GetCustomerViewQuery)
export class GetCustomerViewHandler implements IQueryHandler<GetCustomerViewQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ customerId }: GetCustomerViewQuery): Promise<CustomerViewResult | undefined> {
    const record = await this.readStore.get<CustomerView>(customerViewProjection.name, customerId);
    return record && { view: record.value, position: record.position };
  }
}
