import { Query } from '@nestjs/cqrs';
import type { SegmentSummary } from '@rapport/insights';
import type { SnapshotHeader } from '../shared/snapshot-header';

export interface SegmentSummaryResult extends SegmentSummary, SnapshotHeader {
  /** Who the segments leave out or place by part of their revenue (other currencies, excluded). */
  readonly note?: string;
}

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
