import { Inject, Injectable } from '@nestjs/common';
import { INSIGHTS_ENGINE, type InsightsEngine, type InsightsSnapshot } from '@rapport/insights';
import { ProblemDetailsException } from '@rapport/http';

/** The insights snapshot a query reads: the current one, or one computed as of a given date. */
@Injectable()
export class SnapshotSource {
  constructor(@Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine) {}

  async get(asOf?: string): Promise<InsightsSnapshot> {
    const snapshot = asOf ? await this.engine.asOf(asOf) : await this.engine.current();
    if (!snapshot) {
      throw new ProblemDetailsException(
        {
          title: 'Service unavailable',
          status: 503,
          code: 'INSIGHTS_NOT_READY',
          detail:
            'tiers and churn insights are computed once the projector has caught up; retry shortly',
        },
        { 'Retry-After': '5' },
      );
    }
    return snapshot;
  }
}
