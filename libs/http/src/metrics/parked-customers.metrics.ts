import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  PROJECTION_PROGRESS,
  type ProjectionProgress,
} from '../read-your-writes/projection-progress.port';
import { gaugeReadAtScrape } from './metric';

/**
 * `rapport_projector_parked_customers`: customers the in-process projector parked because an
 * event of theirs could not be applied. Anything above 0 wants an operator (alert on it): their
 * views are stale until a rebuild after the fix.
 */
@Injectable()
export class ParkedCustomersMetrics implements OnModuleInit, OnModuleDestroy {
  private detach: (() => void) | undefined;

  constructor(
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
  ) {}

  onModuleInit(): void {
    const progress = this.progress;
    if (progress?.parkedCustomers() === undefined) return;
    this.detach = gaugeReadAtScrape(
      {
        name: 'rapport_projector_parked_customers',
        help: 'Customers whose views stopped at an event the projector could not apply',
      },
      (gauge) => gauge.set(progress.parkedCustomers() ?? 0),
    );
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
