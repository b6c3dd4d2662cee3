import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { summarizeSegments } from '@rapport/insights';
import { partialAnswerNote } from '../shared/empty-answer';
import { snapshotHeader } from '../shared/snapshot-header';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetSegmentSummaryQuery, type SegmentSummaryResult } from './get-segment-summary.query';

@QueryHandler(GetSegmentSummaryQuery)
export class GetSegmentSummaryHandler implements IQueryHandler<GetSegmentSummaryQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute({ asOf, minPosition }: GetSegmentSummaryQuery): Promise<SegmentSummaryResult> {
    const snapshot = await this.snapshots.get(asOf, minPosition);
    const note = partialAnswerNote(snapshot);
    return {
      ...snapshotHeader(snapshot),
      ...summarizeSegments(snapshot.rows),
      ...(note ? { note } : {}),
    };
  }
}
