import { Module, type DynamicModule } from '@nestjs/common';
import { RapportConfigModule, type RapportConfig } from '@rapport/config';
import { EventStoreModule } from '@rapport/event-store';
import type { DestinationStream } from 'pino';
import { HttpEdgeModule, ProjectionProgressModule, rapportLoggerModule } from '@rapport/http';
import { InsightsModule } from '@rapport/insights';
import { PrivacyModule } from '@rapport/privacy';
import { StoreBindingModule } from '@rapport/projector';
import { ReadStoreModule } from '@rapport/read-store';
import { CustomerErasureModule } from '../../ingest/src/erase-customer/customer-erasure.module';
import { IngestModule } from '../../ingest/src/ingest.module';
import { KafkaIngestModule } from '../../ingest/src/record-touchpoint/kafka-ingest.module';
import { ProjectorModule } from '../../projector/src/projector.module';
import { PROJECTOR } from '../../projector/src/projector.provider';
import { CustomerExportModule } from '../../query-api/src/export-customer/customer-export.module';
import { QueryApiModule } from '../../query-api/src/query-api.module';

/** Everything in one process: ingest, projector and query API over the configured stores. */
@Module({})
export class PlatformModule {
  /** `logs`: where the JSON logs go (default stdout; tests read them). */
  static forRoot(config: RapportConfig, logs?: DestinationStream): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        rapportLoggerModule(config, logs),
        RapportConfigModule.forRoot(config),
        EventStoreModule.forRoot({ appends: true }),
        PrivacyModule.forRoot(),
        ReadStoreModule,
        StoreBindingModule,
        InsightsModule,
        IngestModule,
        ...(config.kafka ? [KafkaIngestModule] : []),
        ProjectorModule,
        QueryApiModule,
        CustomerErasureModule,
        CustomerExportModule,
        ProjectionProgressModule.inProcess(ProjectorModule, PROJECTOR),
        HttpEdgeModule,
      ],
    };
  }
}
