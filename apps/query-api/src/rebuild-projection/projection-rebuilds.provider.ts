import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type FactoryProvider,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  PROJECTION_REBUILDS,
  PROJECTOR,
  ProjectionRebuilds,
  type LiveProjector,
} from '@rapport/projector';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';

/**
 * Where the projector runs in this process (the platform) a rebuild switches between two of
 * its batches; otherwise (the query API as its own service, views in Redis) it catches up with
 * the projector's checkpoint and the projector follows the pointer within a second.
 */
export const projectionRebuildsProvider: FactoryProvider<ProjectionRebuilds> = {
  provide: PROJECTION_REBUILDS,
  inject: [
    RAPPORT_CONFIG,
    EVENT_STORE,
    READ_STORE,
    VIEW_GENERATIONS,
    { token: PROJECTOR, optional: true },
  ],
  useFactory: (
    config: RapportConfig,
    eventStore: EventStore,
    readStore: ReadStore,
    generations: ViewGenerations,
    live?: LiveProjector,
  ) =>
    new ProjectionRebuilds(eventStore, readStore, generations, live, {
      graceMs: Number(process.env.REBUILD_GRACE_MS ?? 3_000),
      batchSize: config.projector.catchUpBatchSize,
    }),
};

/** Interrupts running rebuilds before the stores close; they resume on the next request. */
@Injectable()
export class ProjectionRebuildsLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(PROJECTION_REBUILDS) private readonly rebuilds: ProjectionRebuilds) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.rebuilds.stop();
  }
}
