import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { PROJECTIONS, PROJECTOR, Projector } from '@rapport/projector';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';

export { PROJECTIONS, PROJECTOR };

export const projectorProvider = {
  provide: PROJECTOR,
  inject: [EVENT_STORE, READ_STORE, RAPPORT_CONFIG, VIEW_GENERATIONS],
  useFactory: (
    eventStore: EventStore,
    readStore: ReadStore,
    config: RapportConfig,
    generations: ViewGenerations,
  ) =>
    new Projector(eventStore, readStore, PROJECTIONS, {
      name: 'projector',
      batchSize: config.projector.batchSize,
      catchUpBatchSize: config.projector.catchUpBatchSize,
      maxBatchDelayMs: config.projector.maxBatchDelayMs,
      // Writes each view's active generation and follows a rebuild's switch.
      generations,
    }),
};

/** Starts following the store once the app is up; stops before the stores close. */
@Injectable()
export class ProjectorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(PROJECTOR) private readonly projector: Projector) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }
}
