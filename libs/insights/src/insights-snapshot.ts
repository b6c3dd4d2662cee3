import type { ExcludedCustomer, InsightsModelResult, InsightsRows, TierReport } from './population';

/** Everything recomputed from all customers at one instant; immutable once saved. */
export interface InsightsSnapshot extends InsightsModelResult {
  /** Increases with every saved snapshot: readers cache by it. */
  readonly version: number;
  readonly computedAt: string;
  /** Projector position the views were at when reading began (a lower bound). */
  readonly position: string;
  readonly customers: number;
  readonly durationMs: number;
  /** Ranked by revenue (desc), then customer id; held as columns, read a row at a time. */
  readonly rows: InsightsRows;
  /**
   * Customers left out of every population-wide result (parked, or whose facts are invalid):
   * how many, and the first ones with the reason. Absent in snapshots saved before it existed.
   */
  readonly excluded?: { readonly count: number; readonly customers: readonly ExcludedCustomer[] };
  /** Tiers by predicted value (CLV), beside `tiers` by past revenue; absent without a value model. */
  readonly predictedTiers?: TierReport;
}

export const INSIGHTS_COLLECTION = 'insights';
export const SNAPSHOT_KEY = 'snapshot';
export const VERSION_KEY = 'snapshot-version';
/** The latest snapshot's model without its rows, for one customer's read. */
export const MODEL_KEY = 'snapshot-model';
/** The latest fit with a calibration/holdout check (`rapport model fit --holdout-from`). */
export const MODEL_CHECK_KEY = 'model-check';
