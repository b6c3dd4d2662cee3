import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import {
  PROJECTION_PROGRESS,
  type ProjectionProgress,
} from '../read-your-writes/projection-progress.port';

/** A store that hangs is as unready as one that refuses: every probe is bounded. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Ready when the event store answers, the read store answers (where this app has one) and the
 * projector, if it runs in this process, has caught up with the store once since it started.
 * A projector that parked customers is up with `parkedCustomers` in its detail: degraded.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStore,
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
  ) {}

  all(): Array<() => Promise<HealthIndicatorResult>> {
    return [
      () => this.eventStoreAnswers(),
      ...(this.readStore ? [() => this.readStoreAnswers()] : []),
      ...(this.progress?.caughtUpOnce() !== undefined ? [() => this.projectorCaughtUp()] : []),
    ];
  }

  private async eventStoreAnswers(): Promise<HealthIndicatorResult> {
    const check = this.health.check('eventStore');
    try {
      const head = await bounded(this.eventStore.headPosition());
      return check.up({ headPosition: head.toString() });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  private async readStoreAnswers(): Promise<HealthIndicatorResult> {
    const check = this.health.check('readStore');
    try {
      await bounded(this.readStore!.getCheckpoint('projector'));
      return check.up();
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  private async projectorCaughtUp(): Promise<HealthIndicatorResult> {
    const check = this.health.check('projector');
    const position = (await this.progress!.position()).toString();
    if (!this.progress!.caughtUpOnce())
      return check.down({ position, message: 'still catching up with the event store' });
    const parkedCustomers = this.progress!.parkedCustomers() ?? 0;
    // Up, not down: every other customer's view is current, and taking the service out of
    // rotation would turn one customer's bad event into an outage for all (see README).
    return parkedCustomers > 0
      ? check.up({
          position,
          parkedCustomers,
          message: `${parkedCustomers} customer${parkedCustomers === 1 ? '' : 's'} parked: an event could not be applied, their views are stale (GET /v1/projections/status)`,
        })
      : check.up({ position });
  }
}

function bounded<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
