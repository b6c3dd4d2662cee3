/** What other apps (the platform) may use of the query API. */
export { QueryApiModule } from './query-api.module';
export { CustomerExportModule } from './export-customer/customer-export.module';
