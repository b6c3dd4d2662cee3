import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { INSIGHTS_ENGINE, type InsightsEngine } from '@rapport/insights';
import {
  PROJECTION_REBUILDS,
  readProjectionsStatus,
  rebuildProgressJson,
  withRebuildStates,
  type ProjectionRebuilds,
} from '@rapport/projector';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import {
  GetProjectionStatusQuery,
  type ProjectionStatusResult,
} from './get-projection-status.query';

@QueryHandler(GetProjectionStatusQuery)
export class GetProjectionStatusHandler implements IQueryHandler<GetProjectionStatusQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
    @Inject(INSIGHTS_ENGINE) private readonly insights: InsightsEngine,
    @Inject(PROJECTION_REBUILDS) private readonly rebuilds: ProjectionRebuilds,
  ) {}

  async execute(): Promise<ProjectionStatusResult> {
    const [status, snapshot] = await Promise.all([
      readProjectionsStatus(this.eventStore, this.readStore, this.generations),
      this.insights.current(),
    ]);
    const fit = snapshot?.model.fit;
    const rebuilds = this.rebuilds.list();
    return {
      ...withRebuildStates(status, rebuilds),
      churnModel: snapshot
        ? {
            fittedAt: snapshot.computedAt,
            asOf: snapshot.model.asOf,
            customers: fit?.customers ?? snapshot.customers,
            logLikelihood: fit?.logLikelihood ?? null,
            params: fit?.params ?? null,
            ...(snapshot.fitNote ? { note: snapshot.fitNote } : {}),
          }
        : null,
      insightsExcluded: snapshot?.excluded ?? null,
      rebuilds: rebuilds.map(rebuildProgressJson),
    };
  }
}
