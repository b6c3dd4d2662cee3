import { Module } from '@nestjs/common';
import { CustomerExportHttpController } from './customer-export.http.controller';

/** GET /v1/customers/{id}/export. Needs the event, read and key stores (PrivacyModule). */
@Module({ controllers: [CustomerExportHttpController] })
export class CustomerExportModule {}
