import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetRetentionQuery, type RetentionResult } from './get-retention.query';

@QueryHandler(GetRetentionQuery)
export class GetRetentionHandler implements IQueryHandler<GetRetentionQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute({ asOf, minPosition }: GetRetentionQuery): Promise<RetentionResult> {
    const snapshot = await this.snapshots.get(asOf, minPosition);
    return { asOf: snapshot.model.asOf, ...snapshot.retention, cohorts: snapshot.cohorts };
  }
}
