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
/**
 * Events a rebuild applies at a time in a process that also answers queries. Measured with
 * bench:rebuild (demo data, 1,141,694 events, in memory): batches of 500,000 (the catch-up
 * default) gave query p99s of 0.3-1.9 s a 5-s window and 59-71k events/s; 50,000 gave
 * 0.27-0.67 s and 65-75k events/s (less held at once, less for the collector to trace).
 */
const SERVING_REBUILD_BATCH = 50_000;

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
      batchSize: Math.min(config.projector.catchUpBatchSize, SERVING_REBUILD_BATCH),
      // The fold runs on a worker thread with its own connection to the event store, so the
      // event loop that answers queries only writes records (docs/ARCHITECTURE.md).
      offThread: { eventStore: config.eventStore, privacy: config.privacy },
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
