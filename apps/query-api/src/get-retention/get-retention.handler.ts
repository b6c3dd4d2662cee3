import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { INSIGHTS_ENGINE, type InsightsEngine } from '@rapport/insights';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetRetentionQuery, type RetentionResult } from './get-retention.query';

@QueryHandler(GetRetentionQuery)
export class GetRetentionHandler implements IQueryHandler<GetRetentionQuery> {
  constructor(
    private readonly snapshots: SnapshotSource,
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
  ) {}

  async execute({ asOf, minPosition }: GetRetentionQuery): Promise<RetentionResult> {
    if (asOf) {
      // Computed from the views as they are now (past any position the guard waited for),
      // without the model fits a whole snapshot would make first.
      const past = await this.engine.retentionAsOf(asOf);
      return { asOf: past.asOf, ...past.retention, cohorts: past.cohorts };
    }
    const snapshot = await this.snapshots.get(asOf, minPosition);
    return { asOf: snapshot.model.asOf, ...snapshot.retention, cohorts: snapshot.cohorts };
  }
}
