import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { customerViewProjection } from '@rapport/projections';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import { InsightsEngine } from './insights.engine';
import { WorkerModelRunner } from './model-runner/worker.model-runner';

export const INSIGHTS_ENGINE = Symbol('INSIGHTS_ENGINE');

/** Minimum buyers before a BG/NBD fit is attempted: below it the parameters mean nothing. */
const MIN_CUSTOMERS_FOR_FIT = 20;

/**
 * Every customer-view read asks for the current snapshot; re-reading its version key (a Redis
 * round trip) at most this often is enough, as snapshots are minutes apart and one saved by
 * another process (the projector, the CLI) may show this much later.
 */
const SNAPSHOT_VERSION_CHECK_MS = 250;

export function createInsightsEngine(
  readStore: ReadStore,
  config: RapportConfig,
  generations?: ViewGenerations,
): InsightsEngine {
  return new InsightsEngine(readStore, {
    ...(generations
      ? { viewCollection: () => generations.activeCollection(customerViewProjection.name) }
      : {}),
    currency: config.insights.currency,
    windowMonths: config.insights.windowMonths,
    unit: config.insights.modelUnit,
    horizonDays: config.insights.horizonDays,
    minCustomersForFit: MIN_CUSTOMERS_FOR_FIT,
    value: config.insights.value,
    versionCheckMs: SNAPSHOT_VERSION_CHECK_MS,
    // Seconds of CPU for a large base: off the event loop that serves ingestion and queries.
    modelRunner: new WorkerModelRunner(),
  });
}

/**
 * The insights engine, one per process: imported by the modules that read or refresh the
 * snapshot (the projector's refresher, the query API, the HTTP edge's readiness check).
 */
@Module({
  providers: [
    {
      provide: INSIGHTS_ENGINE,
      inject: [READ_STORE, RAPPORT_CONFIG, VIEW_GENERATIONS],
      useFactory: createInsightsEngine,
    },
  ],
  exports: [INSIGHTS_ENGINE],
})
export class InsightsModule implements OnApplicationShutdown {
  constructor(@Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine) {}

  onApplicationShutdown(): Promise<void> {
    return this.engine.close();
  }
}

/** Provided where the projector runs: recompute and save the snapshot now. */
export const INSIGHTS_REFRESH = Symbol('INSIGHTS_REFRESH');
export interface InsightsRefresh {
  refreshNow(): Promise<import('./insights-snapshot').InsightsSnapshot>;
}
