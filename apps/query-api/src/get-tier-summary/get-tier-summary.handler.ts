import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { InsightsSnapshot } from '@rapport/insights';
import { emptyAnswerReason, missingValueReason, partialAnswerNote } from '../shared/empty-answer';
import { snapshotHeader } from '../shared/snapshot-header';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetTierSummaryQuery, type TierSummaryResult } from './get-tier-summary.query';

@QueryHandler(GetTierSummaryQuery)
export class GetTierSummaryHandler implements IQueryHandler<GetTierSummaryQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute({ asOf, minPosition, by }: GetTierSummaryQuery): Promise<TierSummaryResult> {
    const snapshot = await this.snapshots.get(asOf, minPosition);
    const report = by === 'predictedValue' ? snapshot.predictedTiers : snapshot.tiers;
    const note = report
      ? report.customersWithRevenue === 0
        ? emptyAnswerReason(snapshot, this.what(snapshot, by))
        : partialAnswerNote(snapshot)
      : (missingValueReason(snapshot) ?? emptyAnswerReason(snapshot, 'a CLV'));
    return {
      ...snapshotHeader(snapshot),
      ...(report ?? snapshot.tiers),
      // Without a value model there is no split by CLV: the report is by revenue, and says so.
      by: report ? by : 'revenue',
      ...(snapshot.predictedTiers ? { byPredictedValue: snapshot.predictedTiers } : {}),
      ...(snapshot.currencies ? { currencies: snapshot.currencies } : {}),
      ...(note ? { note } : {}),
    };
  }

  private what(snapshot: InsightsSnapshot, by: GetTierSummaryQuery['by']): string {
    if (by === 'revenue') return `revenue in ${snapshot.model.currency}`;
    return missingValueReason(snapshot)
      ? `a CLV (${missingValueReason(snapshot)})`
      : 'a positive CLV';
  }
}
