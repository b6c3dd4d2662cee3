import { Inject, Optional } from '@nestjs/common';
import {
  CommandHandler,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import {
  INSIGHTS_ENGINE,
  INSIGHTS_REFRESH,
  type InsightsEngine,
  type InsightsRefresh,
  type InsightsSnapshot,
} from '@rapport/insights';
import { SnapshotSource } from '../shared/snapshot.source';
import {
  FitChurnModelCommand,
  GetChurnModelQuery,
  type ChurnModelResult,
} from './churn-model.queries';

function fromSnapshot(snapshot: InsightsSnapshot, current: boolean): ChurnModelResult {
  return {
    asOf: snapshot.model.asOf,
    fit: snapshot.model.fit,
    customers:
      snapshot.model.fit?.customers ??
      snapshot.rows.filter((r) => r.probabilityAlive !== null).length,
    ...(snapshot.fitNote ? { note: snapshot.fitNote } : {}),
    fittedAt: snapshot.computedAt,
    current,
  };
}

@QueryHandler(GetChurnModelQuery)
export class GetChurnModelHandler implements IQueryHandler<GetChurnModelQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute({ minPosition }: GetChurnModelQuery): Promise<ChurnModelResult> {
    return fromSnapshot(await this.snapshots.get(undefined, minPosition), true);
  }
}

@CommandHandler(FitChurnModelCommand)
export class FitChurnModelHandler implements ICommandHandler<FitChurnModelCommand> {
  constructor(
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
    @Optional() @Inject(INSIGHTS_REFRESH) private readonly refresh?: InsightsRefresh,
  ) {}

  async execute({ asOf, unit }: FitChurnModelCommand): Promise<ChurnModelResult> {
    if (!asOf && !unit && this.refresh) return fromSnapshot(await this.refresh.refreshNow(), true);
    const at = asOf ?? new Date().toISOString();
    const fitted = await this.engine.fitModel(at, unit ?? 'weeks');
    return {
      asOf: at,
      fit: fitted.fit,
      customers: fitted.customers,
      ...(fitted.note ? { note: fitted.note } : {}),
      fittedAt: new Date().toISOString(),
      current: false,
    };
  }
}
