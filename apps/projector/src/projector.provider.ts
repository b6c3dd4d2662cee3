import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  PROJECTIONS,
  PROJECTOR,
  Projector,
  STORE_BINDING,
  type StoreBindingMonitor,
} from '@rapport/projector';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';

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

/**
 * Starts following the store once the app is up, after making sure the read store belongs to
 * this event store (a mismatch refuses the start, or is rebuilt first in the background while
 * readiness says so); stops before the stores close.
 */
@Injectable()
export class ProjectorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProjectorLifecycle');
  private readonly shutdown = new AbortController();
  private starting: Promise<void> | undefined;

  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(STORE_BINDING) private readonly binding: StoreBindingMonitor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prepared = await this.binding.prepareForProjector(this.shutdown.signal);
    if (prepared.ready) {
      await this.projector.start();
      return;
    }
    this.starting = prepared.rebuilt.then(
      () => (this.shutdown.signal.aborted ? undefined : this.projector.start()),
      (error: unknown) =>
        this.logger.error(
          `the projector does not start: rebuilding the read store failed: ${String(error)}`,
        ),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await this.starting;
    await this.projector.stop();
  }
}
