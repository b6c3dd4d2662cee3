import { Module } from '@nestjs/common';
import { CustomerErasureHttpController } from './customer-erasure.http.controller';

/** DELETE /v1/customers/{id}. Needs EventStoreModule and PrivacyModule. */
@Module({ controllers: [CustomerErasureHttpController] })
export class CustomerErasureModule {}
