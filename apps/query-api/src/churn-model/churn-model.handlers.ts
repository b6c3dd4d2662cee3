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
  type ModelFit,
} from '@rapport/insights';
import { SnapshotSource } from '../shared/snapshot.source';
import {
  FitChurnModelCommand,
  GetChurnModelQuery,
  type ChurnModelResult,
} from './churn-model.queries';

function fromSnapshot(
  snapshot: InsightsSnapshot,
  current: boolean,
  modelCheck: ModelFit | undefined,
): ChurnModelResult {
  const value = snapshot.model.value;
  return {
    asOf: snapshot.model.asOf,
    fit: snapshot.model.fit,
    customers:
      snapshot.model.fit?.customers ??
      snapshot.rows.filter((r) => r.probabilityAlive !== null).length,
    ...(snapshot.fitNote ? { note: snapshot.fitNote } : {}),
    fittedAt: snapshot.computedAt,
    current,
    spendFit: value?.spendFit ?? null,
    ...(value?.spendFitNote || !value
      ? { spendNote: value?.spendFitNote ?? 'insights computed before the spend model existed' }
      : {}),
    ...(modelCheck ? { modelCheck } : {}),
  };
}

@QueryHandler(GetChurnModelQuery)
export class GetChurnModelHandler implements IQueryHandler<GetChurnModelQuery> {
  constructor(
    private readonly snapshots: SnapshotSource,
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
  ) {}

  async execute({ minPosition }: GetChurnModelQuery): Promise<ChurnModelResult> {
    const snapshot = await this.snapshots.get(undefined, minPosition);
    return fromSnapshot(snapshot, true, await this.engine.latestModelCheck());
  }
}

@CommandHandler(FitChurnModelCommand)
export class FitChurnModelHandler implements ICommandHandler<FitChurnModelCommand> {
  constructor(
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
    @Optional() @Inject(INSIGHTS_REFRESH) private readonly refresh?: InsightsRefresh,
  ) {}

  async execute({ asOf, unit, holdoutFrom }: FitChurnModelCommand): Promise<ChurnModelResult> {
    if (!asOf && !unit && !holdoutFrom && this.refresh)
      return fromSnapshot(await this.refresh.refreshNow(), true, undefined);
    const at = asOf ?? new Date().toISOString();
    const fitted = await this.engine.fitModels(at, unit ?? 'weeks', holdoutFrom);
    return {
      asOf: at,
      fit: fitted.fit,
      customers: fitted.customers,
      ...(fitted.note ? { note: fitted.note } : {}),
      fittedAt: new Date().toISOString(),
      current: false,
      spendFit: fitted.spendFit,
      ...(fitted.spendNote ? { spendNote: fitted.spendNote } : {}),
      ...(fitted.holdout ? { modelCheck: fitted } : {}),
    };
  }
}
