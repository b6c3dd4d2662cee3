import { Query } from '@nestjs/cqrs';
import type { SegmentSummary } from '@rapport/insights';
import type { SnapshotHeader } from '../shared/snapshot-header';

export interface SegmentSummaryResult extends SegmentSummary, SnapshotHeader {}

/** Counts, revenue and value at risk per lifecycle segment, now or as of a given date. */
export class GetSegmentSummaryQuery extends Query<SegmentSummaryResult> {
  constructor(
    readonly asOf?: string,
    /** Read-your-writes: the position the answer must include. */
    readonly minPosition?: bigint,
  ) {
    super();
  }
}
