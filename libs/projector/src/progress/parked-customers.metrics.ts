import { Inject, Injectable } from '@nestjs/common';
import { ScrapedGauge, type ScrapedGaugeDefinition } from '@rapport/metrics';
import { PROJECTION_PROGRESS, type ProjectionProgress } from './projection-progress.port';

/**
 * `rapport_projector_parked_customers`: customers the in-process projector parked because an
 * event of theirs could not be applied. Anything above 0 wants an operator (alert on it): their
 * views are stale until a rebuild after the fix.
 */
@Injectable()
export class ParkedCustomersMetrics extends ScrapedGauge {
  constructor(@Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress) {
    super();
  }

  protected definition(): ScrapedGaugeDefinition<string> | undefined {
    const progress = this.progress;
    // A projector elsewhere: it reports its parked customers itself.
    if (progress.parkedCustomers() === undefined) return undefined;
    return {
      config: {
        name: 'rapport_projector_parked_customers',
        help: 'Customers whose views stopped at an event the projector could not apply',
      },
      read: (gauge) => gauge.set(progress.parkedCustomers() ?? 0),
    };
  }
}
