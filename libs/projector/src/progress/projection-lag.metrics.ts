import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { ScrapedGauge, type ScrapedGaugeDefinition } from '@rapport/metrics';
import { PROJECTION_PROGRESS, type ProjectionProgress } from './projection-progress.port';

/**
 * `rapport_projection_lag_positions`: event store head minus projector position, measured at
 * scrape time (no timer to keep running). On SQLite positions count events; on EventStoreDB
 * they are log offsets, so read it as "behind or not", and how the gap moves.
 */
@Injectable()
export class ProjectionLagMetrics extends ScrapedGauge {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
  ) {
    super();
  }

  protected definition(): ScrapedGaugeDefinition<string> {
    const progress = this.progress;
    return {
      config: {
        name: 'rapport_projection_lag_positions',
        help: 'Event store head position minus the projector position',
      },
      read: async (gauge) => {
        const lag = await Promise.all([this.eventStore.headPosition(), progress.position()]).then(
          ([head, position]) => Number(head > position ? head - position : 0n),
          () => Number.NaN,
        );
        gauge.set(lag);
      },
    };
  }
}
