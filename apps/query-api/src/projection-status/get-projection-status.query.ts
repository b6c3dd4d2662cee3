import { Query } from '@nestjs/cqrs';
import type { InsightsSnapshot } from '@rapport/insights';
import type { ProjectionsStatus } from '@rapport/projector';

export interface ChurnModelFitStatus {
  readonly fittedAt: string;
  readonly asOf: string;
  readonly customers: number;
  readonly logLikelihood: number | null;
  readonly params: unknown;
  readonly note?: string;
}

export interface ProjectionStatusResult extends ProjectionsStatus {
  readonly churnModel: ChurnModelFitStatus | null;
  /** Customers the last insights left out (parked or invalid), with the first reasons. */
  readonly insightsExcluded: InsightsSnapshot['excluded'] | null;
  readonly rebuilds: readonly unknown[];
}

/** Where the views stand: positions, lag, generations, rebuilds, and the last model fit. */
export class GetProjectionStatusQuery extends Query<ProjectionStatusResult> {}
