import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { INSIGHTS_ENGINE, type InsightsEngine } from '@rapport/insights';
import {
  PROJECTION_PROGRESS,
  STORE_BINDING,
  type ProjectionProgress,
  type StoreBindingMonitor,
} from '@rapport/projector';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

/** A store that hangs is as unready as one that refuses: every probe is bounded. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Ready when the event store answers, the read store answers (where this app has one) and was
 * built from this event store, the projector, if it runs in this process, has caught up with
 * the store once since it started, and, where this app answers insights, their first snapshot
 * is there: before it, lists, tiers and at-risk answer 503 INSIGHTS_NOT_READY, so a balancer
 * must not send them traffic yet. A projector that parked customers is up with
 * `parkedCustomers` in its detail: degraded.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStore,
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
    @Optional() @Inject(INSIGHTS_ENGINE) private readonly insights?: InsightsEngine,
    @Optional() @Inject(RAPPORT_CONFIG) private readonly config?: RapportConfig,
    @Optional() @Inject(STORE_BINDING) private readonly binding?: StoreBindingMonitor,
  ) {}

  all(): Array<() => Promise<HealthIndicatorResult>> {
    return [
      () => this.eventStoreAnswers(),
      ...(this.readStore ? [() => this.readStoreAnswers()] : []),
      ...(this.binding ? [() => this.readStoreBinding()] : []),
      ...(this.progress?.caughtUpOnce() !== undefined ? [() => this.projectorCaughtUp()] : []),
      ...(this.insights ? [() => this.insightsComputed()] : []),
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

  private async insightsComputed(): Promise<HealthIndicatorResult> {
    const check = this.health.check('insights');
    try {
      const snapshot = await bounded(this.insights!.current());
      if (snapshot) return check.up({ version: snapshot.version, computedAt: snapshot.computedAt });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
    // Nothing computes them until asked: waiting would be waiting forever. Said, not hidden.
    if (this.config?.insights.refreshSeconds === 0)
      return check.up({
        message:
          'not computed: INSIGHTS_REFRESH_SECONDS=0 computes them on demand only; lists answer 503 until POST /v1/model/fit',
      });
    return check.down({ message: 'the first tiers and churn snapshot is not computed yet' });
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
