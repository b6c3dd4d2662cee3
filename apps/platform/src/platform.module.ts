import { Module, type DynamicModule } from '@nestjs/common';
import { RapportConfigModule, type RapportConfig } from '@rapport/config';
import { EventStoreModule } from '@rapport/event-store';
import type { DestinationStream } from 'pino';
import { HttpEdgeModule, rapportLoggerModule } from '@rapport/http';
import { InsightsModule } from '@rapport/insights';
import { PrivacyModule } from '@rapport/privacy';
import { PROJECTOR, ProjectionProgressModule, StoreBindingModule } from '@rapport/projector';
import { ReadStoreModule } from '@rapport/read-store';
import { SignalDeliveryModule } from '@rapport/signal-delivery';
import { CustomerErasureModule, IngestModule, KafkaIngestModule } from '../../ingest/src';
import { ProjectorModule } from '../../projector/src';
import { CustomerExportModule, QueryApiModule } from '../../query-api/src';

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
        SignalDeliveryModule,
        QueryApiModule.withProjector(ProjectorModule),
        CustomerErasureModule,
        CustomerExportModule,
        ProjectionProgressModule.inProcess(ProjectorModule, PROJECTOR),
        HttpEdgeModule.withInsights(),
      ],
    };
  }
}
