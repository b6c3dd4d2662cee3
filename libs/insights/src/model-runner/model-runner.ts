import type { BgNbdFitResult, BgNbdSummary, BgNbdTimeUnit } from '@rapport/analytics';
import type { InsightsModelResult, InsightsOptions, PopulationFacts } from '../population';

/**
 * Runs the population-wide computations — the insights model and the BG/NBD fit — on inputs
 * streamed in pages. They take seconds of CPU for a large customer base; where they run decides
 * whether ingestion and queries stall meanwhile.
 */
export interface ModelRunner {
  buildModel(
    settings: InsightsOptions,
    facts: AsyncIterable<readonly PopulationFacts[]>,
  ): Promise<InsightsModelResult>;
  fit(
    unit: BgNbdTimeUnit,
    summaries: AsyncIterable<readonly BgNbdSummary[]>,
  ): Promise<BgNbdFitResult>;
  close(): Promise<void>;
}
