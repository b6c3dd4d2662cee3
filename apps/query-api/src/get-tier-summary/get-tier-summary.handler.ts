import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { emptyAnswerReason } from '../shared/empty-answer';
import { snapshotHeader } from '../shared/snapshot-header';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetTierSummaryQuery, type TierSummaryResult } from './get-tier-summary.query';

@QueryHandler(GetTierSummaryQuery)
export class GetTierSummaryHandler implements IQueryHandler<GetTierSummaryQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute({ asOf, minPosition }: GetTierSummaryQuery): Promise<TierSummaryResult> {
    const snapshot = await this.snapshots.get(asOf, minPosition);
    const note =
      snapshot.tiers.customersWithRevenue === 0
        ? emptyAnswerReason(snapshot, `revenue in ${snapshot.model.currency}`)
        : snapshot.currencies?.note;
    return {
      ...snapshotHeader(snapshot),
      ...snapshot.tiers,
      ...(snapshot.predictedTiers ? { byPredictedValue: snapshot.predictedTiers } : {}),
      ...(snapshot.currencies ? { currencies: snapshot.currencies } : {}),
      ...(note ? { note } : {}),
    };
  }
}
