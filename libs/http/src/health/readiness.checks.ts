import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { STORE_BINDING, type StoreBindingMonitor } from '@rapport/projector';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import {
  PROJECTION_PROGRESS,
  type ProjectionProgress,
} from '../read-your-writes/projection-progress.port';

/** A store that hangs is as unready as one that refuses: every probe is bounded. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Ready when the event store answers, the read store answers (where this app has one) and was
 * built from this event store, and the projector, if it runs in this process, has caught up
 * with the store once since it started.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStore,
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
    @Optional() @Inject(STORE_BINDING) private readonly binding?: StoreBindingMonitor,
  ) {}

  all(): Array<() => Promise<HealthIndicatorResult>> {
    return [
      () => this.eventStoreAnswers(),
      ...(this.readStore ? [() => this.readStoreAnswers()] : []),
      ...(this.binding ? [() => this.readStoreBinding()] : []),
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

  /** Up when the read store was built from this event store (as found, or rebuilt at start). */
  private async readStoreBinding(): Promise<HealthIndicatorResult> {
    const check = this.health.check('storeBinding');
    try {
      const status = await bounded(this.binding!.status());
      const details = { state: status.state, eventStore: status.eventStoreId };
      return status.state === 'bound' || status.state === 'rebuilt'
        ? check.up(details)
        : check.down({ ...details, message: status.message ?? status.state });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  private async projectorCaughtUp(): Promise<HealthIndicatorResult> {
    const check = this.health.check('projector');
    const position = (await this.progress!.position()).toString();
    return this.progress!.caughtUpOnce()
      ? check.up({ position })
      : check.down({ position, message: 'still catching up with the event store' });
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
