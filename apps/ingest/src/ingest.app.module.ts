import { Module, type DynamicModule } from '@nestjs/common';
import { RapportConfigModule, type RapportConfig } from '@rapport/config';
import { EventStoreModule } from '@rapport/event-store';
import { PrivacyModule } from '@rapport/privacy';
import { CustomerErasureModule } from './erase-customer/customer-erasure.module';
import { HttpEdgeModule, rapportLoggerModule } from '@rapport/http';
import { IngestModule } from './ingest.module';
import { KafkaIngestModule } from './record-touchpoint/kafka-ingest.module';

@Module({})
export class IngestAppModule {
  static forRoot(config: RapportConfig): DynamicModule {
    return {
      module: IngestAppModule,
      imports: [
        rapportLoggerModule(config),
        RapportConfigModule.forRoot(config),
        EventStoreModule.forRoot({ appends: true }),
        PrivacyModule.forRoot(),
        IngestModule,
        CustomerErasureModule,
        HttpEdgeModule,
        ...(config.kafka ? [KafkaIngestModule] : []),
      ],
    };
  }
}
