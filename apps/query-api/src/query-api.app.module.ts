import { Module, type DynamicModule } from '@nestjs/common';
import { RapportConfigModule, type RapportConfig } from '@rapport/config';
import { EventStoreModule } from '@rapport/event-store';
import { PrivacyModule } from '@rapport/privacy';
import { CustomerExportModule } from './export-customer/customer-export.module';
import { HttpEdgeModule, rapportLoggerModule } from '@rapport/http';
import { InsightsModule } from '@rapport/insights';
import { ProjectionProgressModule, StoreBindingModule } from '@rapport/projector';
import { ReadStoreModule } from '@rapport/read-store';
import { QueryApiModule } from './query-api.module';
import { QueryApiStoreBindingCheck } from './store-binding.check';

@Module({})
export class QueryApiAppModule {
  static forRoot(config: RapportConfig): DynamicModule {
    return {
      module: QueryApiAppModule,
      imports: [
        rapportLoggerModule(config),
        RapportConfigModule.forRoot(config),
        EventStoreModule.forRoot({ appends: false }),
        PrivacyModule.forRoot(),
        ReadStoreModule,
        StoreBindingModule,
        InsightsModule,
        QueryApiModule,
        CustomerExportModule,
        // The projector runs as its own service: wait for positions on its checkpoint.
        ProjectionProgressModule.fromCheckpoint(),
        HttpEdgeModule.withInsights(),
      ],
      providers: [QueryApiStoreBindingCheck],
    };
  }
}
