import { Module, type DynamicModule } from '@nestjs/common';
import { RapportConfigModule, type RapportConfig } from '@rapport/config';
import { EventStoreModule } from '@rapport/event-store';
import { PrivacyModule } from '@rapport/privacy';
import { rapportLoggerModule } from '@rapport/http';
import { InsightsModule } from '@rapport/insights';
import { PROJECTOR, ProjectionProgressModule, StoreBindingModule } from '@rapport/projector';
import { ReadStoreModule } from '@rapport/read-store';
import { SignalDeliveryModule } from '@rapport/signal-delivery';
import { ProjectorModule } from './projector.module';

@Module({})
export class ProjectorAppModule {
  static forRoot(config: RapportConfig): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [
        rapportLoggerModule(config),
        RapportConfigModule.forRoot(config),
        EventStoreModule.forRoot({ appends: false }),
        PrivacyModule.forRoot(),
        ReadStoreModule,
        StoreBindingModule,
        InsightsModule,
        ProjectorModule,
        // Signal derivation waits for the projector's first catch-up, as in the platform; this
        // app serves no /metrics, so the progress comes without its gauges.
        ProjectionProgressModule.inProcess(ProjectorModule, PROJECTOR, { metrics: false }),
        SignalDeliveryModule,
      ],
    };
  }
}
