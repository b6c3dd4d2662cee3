import { Query } from '@nestjs/cqrs';
import type { CurrencyCoverage, TierReport } from '@rapport/insights';
import type { SnapshotHeader } from '../shared/snapshot-header';
import type { TierBasis } from './tiers.request.dto';

export interface TierSummaryResult extends TierReport, SnapshotHeader {
  /** What the report's split ranks by: past revenue (default) or CLV. */
  readonly by: TierBasis;
  /** The same Pareto split by CLV (predicted value) instead of past revenue: value vs potential. */
  readonly byPredictedValue?: TierReport;
  /** Customers not ranked because their revenue is in other currencies, per currency. */
  readonly currencies?: CurrencyCoverage;
  /** Why no customer has a tier, or who is left out for their currency. */
  readonly note?: string;
}

/** The Pareto tier summary as of now (the current snapshot) or as of a given date. */
export class GetTierSummaryQuery extends Query<TierSummaryResult> {
  constructor(
    readonly asOf?: string,
    /** Read-your-writes: the position the answer must include. */
    readonly minPosition?: bigint,
    readonly by: TierBasis = 'revenue',
  ) {
    super();
  }
}
