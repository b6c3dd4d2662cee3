import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomersHttpController } from './get-customer-view/customers.http.controller';
import { GetCustomerViewHandler } from './get-customer-view/get-customer-view.handler';

/** The analysts' read API over the read store. */
@Module({
  imports: [CqrsModule],
  controllers: [CustomersHttpController],
  providers: [GetCustomerViewHandler],
})
export class QueryApiModule {}
