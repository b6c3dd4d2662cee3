import { Logger } from '@nestjs/common';
import type { EventStore } from '@rapport/event-store';
import { isRetryableError, type ReadStore, type ViewGenerations } from '@rapport/read-store';
import { bindReadStore, rebuildReadStore } from './prepare-read-store';
import {
  checkStoreBinding,
  describeBindingProblems,
  type ReadStoreMismatchPolicy,
  type StoreBindingReport,
} from './store-binding';
import { ReadStoreMismatchError } from './store-binding.errors';

export const STORE_BINDING = Symbol('STORE_BINDING');

/**
 * bound: the read store counts in this event store; rebuilt: it did not, and was rebuilt from
 * it at start; rebuilding: that rebuild is running; mismatch: it belongs to another store (or
 * to a later state of this one) and is not to be read.
 */
export type StoreBindingState = 'bound' | 'rebuilt' | 'rebuilding' | 'mismatch';
export const STORE_BINDING_STATES: readonly StoreBindingState[] = [
  'bound',
  'rebuilt',
  'rebuilding',
  'mismatch',
];

export interface StoreBindingStatus {
  readonly state: StoreBindingState;
  readonly eventStoreId: string;
  readonly head: string;
  readonly message?: string;
}

export interface StoreBindingMonitorOptions {
  readonly policy: ReadStoreMismatchPolicy;
  readonly liveCheckpoint: string;
  /** Events per read and write of a rebuild at start. */
  readonly batchSize: number;
  /** How long a status stays fresh (probes and scrapes come often). Default 1,000 ms. */
  readonly cacheMs?: number;
}

/**
 * Whether this process may use its read store, decided at start and watched after: the live
 * projector prepares the store (binds it, refuses it, or rebuilds it), a process that only
 * reads views checks it. Readiness and the `rapport_read_store_binding` metric ask `status`.
 */
export class StoreBindingMonitor {
  private readonly logger = new Logger('StoreBinding');
  private rebuilding: StoreBindingReport | undefined;
  private rebuiltAtStart = false;
  private cached: { at: number; status: Promise<StoreBindingStatus> } | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly generations: ViewGenerations,
    private readonly options: StoreBindingMonitorOptions,
  ) {}

  /**
   * Before the live projector resumes. Resolves `ready` when the store may be used as it is
   * (bound now); throws ReadStoreMismatchError when it may not and the policy is refuse;
   * otherwise returns the rebuild from this event store, already running, to start after.
   */
  async prepareForProjector(
    signal?: AbortSignal,
  ): Promise<{ readonly ready: true } | { readonly ready: false; rebuilt: Promise<void> }> {
    const report = await this.check();
    if (report.state !== 'mismatch') {
      await bindReadStore(this.readStore, report);
      return { ready: true };
    }
    if (this.options.policy === 'refuse') throw new ReadStoreMismatchError(report);
    this.logger.warn(
      `${describeBindingProblems(report)}; READ_STORE_MISMATCH=rebuild: replaying this event ` +
        'store into fresh generations before the projector starts',
    );
    this.rebuilding = report;
    this.cached = undefined;
    const rebuilt = rebuildReadStore(this.eventStore, this.readStore, this.generations, {
      liveCheckpoint: this.options.liveCheckpoint,
      batchSize: this.options.batchSize,
      ...(signal ? { signal } : {}),
    }).then(() => {
      this.rebuiltAtStart = true;
      this.logger.log(`the read store is rebuilt from event store ${report.eventStore.id}`);
    });
    void rebuilt
      .finally(() => {
        this.rebuilding = undefined;
        this.cached = undefined;
      })
      .catch(() => undefined);
    return { ready: false, rebuilt };
  }

  /**
   * A process that only reads views (the query API, the CLI): refuses a mismatched store, or,
   * when the policy is rebuild, goes on (not ready) while the projector rebuilds it.
   */
  async verifyForReaders(): Promise<StoreBindingReport | undefined> {
    const report = await this.check().catch((error: unknown) => {
      // A store that does not answer yet is an outage, not a mismatch: readiness says so, and
      // reads fail on their own until it answers (as before bindings).
      if (!isRetryableError(error)) throw error;
      this.logger.warn(`could not compare the read store with the event store: ${String(error)}`);
      return undefined;
    });
    if (report?.state !== 'mismatch') return report;
    if (this.options.policy === 'refuse') throw new ReadStoreMismatchError(report);
    this.logger.warn(
      `${describeBindingProblems(report)}; not ready until the projector has rebuilt the views ` +
        '(READ_STORE_MISMATCH=rebuild)',
    );
    return report;
  }

  status(): Promise<StoreBindingStatus> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 1_000))
      return this.cached.status;
    const status = this.readStatus();
    this.cached = { at: now, status };
    status.catch(() => (this.cached = undefined));
    return status;
  }

  private async readStatus(): Promise<StoreBindingStatus> {
    const rebuilding = this.rebuilding;
    if (rebuilding)
      return {
        state: 'rebuilding',
        eventStoreId: rebuilding.eventStore.id,
        head: rebuilding.eventStore.head.toString(),
        message: `rebuilding the views from this event store at start (${describeBindingProblems(rebuilding)})`,
      };
    const report = await this.check();
    const base = { eventStoreId: report.eventStore.id, head: report.eventStore.head.toString() };
    if (report.state === 'mismatch')
      return { state: 'mismatch', ...base, message: new ReadStoreMismatchError(report).message };
    return { state: this.rebuiltAtStart ? 'rebuilt' : 'bound', ...base };
  }

  private check(): Promise<StoreBindingReport> {
    return checkStoreBinding(this.eventStore, this.readStore, this.options.liveCheckpoint);
  }
}
