import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  PROJECTION_PROGRESS,
  type ProjectionProgress,
} from '../read-your-writes/projection-progress.port';
import { gauge } from './metric';

type Source = () => Promise<number>;
let source: Source | undefined;

/**
 * `rapport_projection_lag_positions`: event store head minus projector position, measured at
 * scrape time (no timer to keep running). On SQLite positions count events; on EventStoreDB
 * they are log offsets, so read it as "behind or not", and how the gap moves.
 */
@Injectable()
export class ProjectionLagMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly measure: Source = async () => {
    const [head, position] = await Promise.all([
      this.eventStore.headPosition(),
      this.progress!.position(),
    ]);
    return Number(head > position ? head - position : 0n);
  };

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
  ) {}

  onModuleInit(): void {
    if (!this.progress) return;
    source = this.measure;
    gauge({
      name: 'rapport_projection_lag_positions',
      help: 'Event store head position minus the projector position',
      async collect() {
        if (source) this.set(await source().catch(() => Number.NaN));
      },
    });
  }

  onModuleDestroy(): void {
    if (source === this.measure) source = undefined;
  }
}
