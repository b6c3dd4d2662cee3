import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { CheckpointProjectionProgress } from './checkpoint.projection-progress';
import { InProcessProjectionProgress, type LocalProjector } from './in-process.projection-progress';
import { ParkedCustomersMetrics } from './parked-customers.metrics';
import { ProjectionLagMetrics } from './projection-lag.metrics';
import { PROJECTION_PROGRESS } from './projection-progress.port';

/** How far the projector is: scraped as the lag and parked-customer metrics. */
const PROGRESS_METRICS = [ProjectionLagMetrics, ParkedCustomersMetrics];

/**
 * Provides PROJECTION_PROGRESS to the whole app (read-your-writes and readiness at the HTTP
 * edge) and the metrics read from it.
 */
@Global()
@Module({})
export class ProjectionProgressModule {
  /**
   * The projector runs here: `projectorModule` exports it under `projectorToken`. Without
   * `metrics` (an app with no /metrics to serve them) only the progress itself is provided.
   */
  static inProcess(
    projectorModule: Type,
    projectorToken: symbol,
    { metrics = true }: { readonly metrics?: boolean } = {},
  ): DynamicModule {
    return {
      module: ProjectionProgressModule,
      imports: [projectorModule],
      providers: [
        {
          provide: PROJECTION_PROGRESS,
          inject: [projectorToken],
          useFactory: (projector: LocalProjector) => new InProcessProjectionProgress(projector),
        },
        ...(metrics ? PROGRESS_METRICS : []),
      ],
      exports: [PROJECTION_PROGRESS],
    };
  }

  /** The projector runs elsewhere: poll its checkpoint in the shared read store. */
  static fromCheckpoint(checkpoint = 'projector'): DynamicModule {
    return {
      module: ProjectionProgressModule,
      providers: [
        {
          provide: PROJECTION_PROGRESS,
          inject: [READ_STORE],
          useFactory: (readStore: ReadStore) =>
            new CheckpointProjectionProgress(readStore, { checkpoint, pollIntervalMs: 50 }),
        },
        ...PROGRESS_METRICS,
      ],
      exports: [PROJECTION_PROGRESS],
    };
  }
}
