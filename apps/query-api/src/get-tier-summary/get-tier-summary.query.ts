import { Query } from '@nestjs/cqrs';
import type { TierReport } from '@rapport/insights';
import type { SnapshotHeader } from '../shared/snapshot-header';

export interface TierSummaryResult extends TierReport, SnapshotHeader {}

/** The Pareto tier summary as of now (the current snapshot) or as of a given date. */
export class GetTierSummaryQuery extends Query<TierSummaryResult> {
  constructor(
    readonly asOf?: string,
    /** Read-your-writes: the position the answer must include. */
    readonly minPosition?: bigint,
  ) {
    super();
  }
}
