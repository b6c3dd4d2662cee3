import { Module, type DynamicModule } from '@nestjs/common';
import { RapportConfigModule, type RapportConfig } from '@rapport/config';
import { EventStoreModule } from '@rapport/event-store';
import { MetricsModule, rapportLoggerModule } from '@rapport/http';
import { ReadStoreModule } from '@rapport/read-store';
import { IngestModule } from '../../ingest/src/ingest.module';
import { KafkaIngestModule } from '../../ingest/src/record-touchpoint/kafka-ingest.module';
import { ProjectorModule } from '../../projector/src/projector.module';
import { QueryApiModule } from '../../query-api/src/query-api.module';

/** Everything in one process: ingest, projector and query API over the configured stores. */
@Module({})
export class PlatformModule {
  static forRoot(config: RapportConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        rapportLoggerModule(config),
        RapportConfigModule.forRoot(config),
        EventStoreModule,
        ReadStoreModule,
        IngestModule,
        ...(config.kafka ? [KafkaIngestModule] : []),
        ProjectorModule,
        QueryApiModule,
        MetricsModule,
      ],
    };
  }
}
