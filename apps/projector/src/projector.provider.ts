import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { Projector } from '@rapport/projector';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

export const PROJECTOR = Symbol('PROJECTOR');

/** Every projection the platform maintains. */
export const PROJECTIONS: readonly Projection<unknown>[] = [
  customerViewProjection as Projection<unknown>,
];

export const projectorProvider = {
  provide: PROJECTOR,
  inject: [EVENT_STORE, READ_STORE, RAPPORT_CONFIG],
  useFactory: (eventStore: EventStore, readStore: ReadStore, config: RapportConfig) =>
    new Projector(eventStore, readStore, PROJECTIONS, {
      name: 'projector',
      batchSize: config.projector.batchSize,
      maxBatchDelayMs: config.projector.maxBatchDelayMs,
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
