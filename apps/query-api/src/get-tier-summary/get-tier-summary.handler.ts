import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { snapshotHeader } from '../shared/snapshot-header';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetTierSummaryQuery, type TierSummaryResult } from './get-tier-summary.query';

@QueryHandler(GetTierSummaryQuery)
export class GetTierSummaryHandler implements IQueryHandler<GetTierSummaryQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute({ asOf, minPosition }: GetTierSummaryQuery): Promise<TierSummaryResult> {
    const snapshot = await this.snapshots.get(asOf, minPosition);
    return { ...snapshotHeader(snapshot), ...snapshot.tiers };
  }
}
