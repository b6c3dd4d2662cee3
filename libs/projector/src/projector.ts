import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { EventStore, EventSubscription, RecordedEvent } from '@rapport/event-store';
import type { Projection } from '@rapport/projections';
import {
  isRetryableError,
  ViewGenerations,
  type ReadStore,
  type StoredRecord,
} from '@rapport/read-store';
import { CatchUpAbandoned } from './catch-up/catch-up-abandoned';
import { DEFAULT_READ_SLICE, ReadSlice, type ReadSliceBound } from './catch-up/read-slice';
import { evolveOrPark, handledBy } from './parking/evolve-or-park';
import { parkedCollection, type ParkedCustomer } from './parking/parked-customers';
import { PositionWaiters } from './position-waiters';
import { ProfilePartition, type Regroup } from './profiles/profile-partition';
import { writeMembership } from './profiles/profile-membership';
import { readGroupHistories, refoldGroups, writeRefold } from './profiles/refold-profiles';
import { routeBatch, type CustomerEvents } from './profiles/route-batch';

export type { CustomerEvents } from './profiles/route-batch';

export interface ProjectorOptions {
  /** Name of the resume checkpoint in the read store. */
  readonly name: string;
  /** Most events applied in one batch once live (one read and one write per touched customer). */
  readonly batchSize: number;
  /**
   * Most events in one batch until caught up for the first time (default: batchSize). Larger
   * batches bring many events per customer, each customer read, evolved and written once for
   * all of them; what bounds it is the memory the batch and its records take.
   */
  readonly catchUpBatchSize?: number;
  /** How long a partial batch may wait for more events before it is written. */
  readonly maxBatchDelayMs: number;
  /** Collection of each projection; default the projection's name (blue/green passes others). */
  readonly collectionOf?: (projection: Projection<unknown>) => string;
  /**
   * Customers read, evolved and written per step of a batch (default 100): one round trip each
   * way to a networked store. Small steps let what a step reads and writes die young, before
   * the collector copies it into the old generation: into Redis, steps of 1,000 spent 1.4-1.8
   * times as long collecting as steps of 100, and were 3-18% slower (bench:projection).
   */
  readonly customersPerStep?: number;
  /** Backoff bounds for retrying a failed read-store write. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
  /**
   * Blue/green: write each projection's active generation, and follow a switch made by a
   * rebuild (here or in another process). Overrides `collectionOf`.
   */
  readonly generations?: ViewGenerations;
  /**
   * Most events read from the subscription, or time spent reading, between two turns of the
   * event loop (default 2,000 events or 50 ms). A batch may span many slices: it is still
   * applied, and its checkpoint written, as one.
   */
  readonly readSlice?: ReadSliceBound;
}

export type ProjectorStatus = 'idle' | 'catching-up' | 'live' | 'retrying' | 'failed' | 'stopped';

/** Told the customers a batch wrote and the position it reached, at once when it is applied. */
export type AppliedListener = (customerIds: Iterable<string>, position: bigint) => void;

const TIMEOUT = Symbol('timeout');
const DEFAULT_CUSTOMERS_PER_STEP = 100;
const CATCH_UP_BATCH_DELAY_MS = 1_000;

/**
 * Feeds pure projections from a catch-up subscription and persists their records.
 *
 * Exactly-once effect on the read side without a global transaction: each customer's record
 * is written together with the position of the last event applied to it, and events at or
 * below that position are skipped. The checkpoint is only where to resume after a restart.
 */
export class Projector {
  private readonly logger: Logger;
  private readonly waiters = new PositionWaiters();
  private subscription: EventSubscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private current = -1n;
  private state: ProjectorStatus = 'idle';
  private caughtUpOnce = false;
  private lastError: string | undefined;
  private eventsApplied = 0;
  /** Customers parked in each projection's view (the generation being written), by id. */
  private readonly parked = new Map<string, ReadonlySet<string>>();
  /** Generation each projection is written to (blue/green), once resolved. */
  private readonly writing = new Map<string, number>();
  /** Batches and generation switches run one at a time, in order. */
  private serial: Promise<unknown> = Promise.resolve();
  private followTimer: NodeJS.Timeout | undefined;
  private readonly appliedListeners: AppliedListener[] = [];
  /**
   * Which profile each customer stream belongs to, as of `current`: loaded from the graph
   * stream at start (or before the first batch applied directly), then followed batch by batch.
   */
  private partition: ProfilePartition | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection<unknown>[],
    private readonly options: ProjectorOptions,
  ) {
    this.logger = new Logger(`Projector:${options.name}`);
  }

  /** Position of the last event this projector has fully applied. */
  get position(): bigint {
    return this.current;
  }

  status() {
    return {
      name: this.options.name,
      state: this.state,
      position: this.current,
      caughtUpOnce: this.caughtUpOnce,
      eventsApplied: this.eventsApplied,
      parkedCustomers: this.parkedCustomers(),
      parkedByProjection: Object.fromEntries(
        [...this.parked].map(([projection, customers]) => [projection, customers.size]),
      ),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Customers with a view stopped at an event that could not be applied, each counted once
   * however many views parked them (one poison event usually parks it in every view).
   */
  parkedCustomers(): number {
    const customers = new Set<string>();
    for (const ids of this.parked.values()) for (const id of ids) customers.add(id);
    return customers.size;
  }

  collectionOf(projection: Projection<unknown>): string {
    if (this.options.generations)
      return ViewGenerations.collection(projection.name, this.writing.get(projection.name) ?? 0);
    return this.options.collectionOf?.(projection) ?? projection.name;
  }

  get projectionNames(): readonly string[] {
    return this.projections.map((p) => p.name);
  }

  /**
   * Runs `work` between two batches with nothing applied meanwhile: an in-process rebuild
   * brings the new generation up to this projector's position and switches the pointer in it,
   * so the next batch already goes to the new generation and no query sees it behind.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.serialised(work);
  }

  /** Resumes from the checkpoint and follows the store until stopped. */
  async start(): Promise<void> {
    if (this.running) return;
    this.stopping = false;
    const checkpoint = await this.readStore.getCheckpoint(this.options.name);
    this.current = checkpoint ?? -1n;
    this.partition = await ProfilePartition.load(this.eventStore, this.current);
    const head = await this.eventStore.headPosition();
    // Parked customers stay listed across restarts: counted before anything is applied.
    if (this.options.generations) await this.serialised(() => this.followGenerations());
    else await this.countParked();
    this.state = 'catching-up';
    if (this.current >= head) this.markCaughtUp();
    this.logger.log(`starting after position ${this.current} (head ${head})`);
    if (this.options.generations) {
      // A switch must be followed even while no events arrive, or the new generation would
      // stay behind what this projector had written to the old one.
      this.followTimer = setInterval(
        () => void this.serialised(() => this.followGenerations()).catch(() => undefined),
        1_000,
      );
      this.followTimer.unref();
    }
    this.running = this.run(head).catch((error: unknown) => {
      if (error instanceof CatchUpAbandoned) {
        this.logger.log(`${error.message} (checkpoint ${this.current})`);
        return;
      }
      this.state = 'failed';
      this.lastError = error instanceof Error ? error.message : String(error);
      this.logger.error(
        `stopped on an error it cannot get past: ${this.lastError}`,
        (error as Error)?.stack,
      );
      this.waiters.failAll(error);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.followTimer);
    await this.subscription?.close();
    await this.running;
    this.running = undefined;
    this.state = 'stopped';
  }

  /** Read-your-writes: resolves true once `position` is applied, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.current >= position) return Promise.resolve(true);
    return this.waiters.wait(position, timeoutMs);
  }

  /**
   * Calls `listener` after each applied batch, with the customers whose records it wrote (or
   * parked) and the position reached: what the insights refresher reads again, and nothing else.
   */
  onApplied(listener: AppliedListener): void {
    this.appliedListeners.push(listener);
  }

  /** Applies a batch of events directly (replay tools and tests); the same path as live. */
  applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    return this.serialised(() => this.applyNow(batch));
  }

  private async applyNow(batch: readonly RecordedEvent[]): Promise<void> {
    if (this.options.generations) await this.followGenerations();
    this.partition ??= await ProfilePartition.load(this.eventStore, batch[0].position - 1n);
    // Records written, parked, refolded or removed: what the listeners read again.
    const touched = new Set<string>();
    try {
      for (const step of routeBatch(batch, this.partition)) {
        if (step.kind === 'regroup') {
          await this.regroup(step.regroup, this.projections, true);
          for (const group of step.regroup.groups) touched.add(group.survivor);
          for (const customerId of step.regroup.absorbed) touched.add(customerId);
          continue;
        }
        for (const projection of this.projections) {
          const parked = await this.withRetry(() =>
            this.project(projection, step.byProfile, undefined, true),
          );
          if (parked.length) await this.reportParked(projection, parked);
        }
        for (const customer of step.byProfile.values()) touched.add(customer.customerId);
      }
    } catch (error) {
      // Routing followed the batch's graph events already: start again from the store.
      this.partition = undefined;
      throw error;
    }
    const last = batch[batch.length - 1].position;
    await this.withRetry(() => this.readStore.putCheckpoint(this.options.name, last));
    // The active generation now holds everything up to `last`: where a restart, or the next
    // follower, may start from without reading it all again.
    for (const [name, generation] of this.writing) {
      if (generation > 0)
        await this.withRetry(() =>
          this.readStore.putCheckpoint(ViewGenerations.buildCheckpoint(name, generation), last),
        );
    }
    this.eventsApplied += batch.length;
    this.current = last;
    for (const listener of this.appliedListeners) listener(touched, last);
    this.waiters.reached(last);
  }

  /**
   * A merge or an undo: each group's record folded again from its member streams, absorbed
   * customers' records removed, in every view; `live` when writing the views queries read
   * (their parked lists are then counted again).
   */
  private async regroup(
    regroup: Regroup,
    projections: readonly Projection<unknown>[],
    live: boolean,
    collection?: string,
  ): Promise<void> {
    const histories = await this.withRetry(() => readGroupHistories(this.eventStore, regroup));
    // Before the views: a query meanwhile finds the profile's record, maybe not refolded yet,
    // rather than an absorbed customer's record already removed.
    if (live) await this.withRetry(() => writeMembership(this.readStore, regroup));
    for (const projection of projections) {
      const view = collection ?? this.collectionOf(projection);
      const outcome = refoldGroups(projection, regroup, histories);
      await this.withRetry(() => writeRefold(this.readStore, view, outcome));
      if (
        live &&
        (outcome.parked.length || outcome.unparked.some((id) => this.isParked(projection, id)))
      )
        await this.countParked(projection);
    }
    this.logger.log(
      `profiles regrouped at position ${regroup.position}: ` +
        regroup.groups.map((g) => `${g.survivor} ← [${g.members.join(', ')}]`).join('; '),
    );
  }

  private isParked(projection: Projection<unknown>, customerId: string): boolean {
    return this.parked.get(projection.name)?.has(customerId) ?? false;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.serial.then(work);
    this.serial = result.catch(() => undefined);
    return result;
  }

  /**
   * Moves each projection to its active generation. The new generation holds every event up
   * to its build checkpoint; what this projector applied since (to the old one) is applied to
   * it first, so its records are never behind this projector's position when writing resumes.
   */
  private async followGenerations(): Promise<void> {
    const generations = this.options.generations!;
    for (const projection of this.projections) {
      const active = await this.withRetry(() => generations.active(projection.name));
      if (this.writing.get(projection.name) === active) continue;
      if (active > 0) await this.catchUpGeneration(projection, active);
      if (this.writing.has(projection.name))
        this.logger.log(`${projection.name}: now writing generation ${active}`);
      this.writing.set(projection.name, active);
      await this.countParked(projection);
    }
  }

  /** Which customers each view has parked (the list lives in the read store; it is short). */
  private async countParked(only?: Projection<unknown>): Promise<void> {
    for (const projection of only ? [only] : this.projections) {
      const collection = parkedCollection(this.collectionOf(projection));
      this.parked.set(projection.name, await this.withRetry(() => this.parkedIds(collection)));
    }
  }

  private async parkedIds(collection: string): Promise<ReadonlySet<string>> {
    const ids = new Set<string>();
    let after: string | undefined;
    do {
      const page = await this.readStore.list(collection, { after, limit: 1_000 });
      for (const record of page.records) ids.add(record.key);
      after = page.next;
    } while (after !== undefined);
    return ids;
  }

  /**
   * One line for each customer parked now (not for its later events): an operator sees which
   * event, and that the rest of the read side went on.
   */
  private async reportParked(
    projection: Projection<unknown>,
    parked: readonly ParkedCustomer[],
  ): Promise<void> {
    for (const customer of parked)
      this.logger.warn(
        `parked customer ${customer.customerId} in ${projection.name}: event ${customer.eventType} ` +
          `at position ${customer.position} cannot be applied (${customer.error}); its later events ` +
          'are not applied until a rebuild after the fix; every other customer goes on',
      );
    await this.countParked(projection);
  }

  private async catchUpGeneration(projection: Projection<unknown>, generation: number) {
    const checkpoint = ViewGenerations.buildCheckpoint(projection.name, generation);
    let from = (await this.withRetry(() => this.readStore.getCheckpoint(checkpoint))) ?? -1n;
    const collection = ViewGenerations.collection(projection.name, generation);
    const partition = await ProfilePartition.load(this.eventStore, from);
    while (from < this.current) {
      const events = await this.eventStore.readAll({
        after: from,
        maxCount: Math.max(this.options.batchSize, 1_000),
      });
      const batch = events.filter((e) => e.position <= this.current);
      if (batch.length === 0) break;
      for (const step of routeBatch(batch, partition)) {
        if (step.kind === 'regroup')
          await this.regroup(step.regroup, [projection], false, collection);
        else await this.withRetry(() => this.project(projection, step.byProfile, collection));
      }
      from = batch[batch.length - 1].position;
      // The embedded stores read without I/O: a long gap to close would otherwise hold the loop.
      await nextTurn();
    }
  }

  private async run(headAtStart: bigint): Promise<void> {
    this.subscription = this.eventStore.subscribeToAll({ after: this.current });
    const iterator = this.subscription[Symbol.asyncIterator]();
    let batch: RecordedEvent[] = [];
    let deadline: Promise<typeof TIMEOUT> | undefined;
    const slice = new ReadSlice(this.options.readSlice ?? DEFAULT_READ_SLICE);
    let next = iterator.next();
    while (!this.stopping) {
      const result = deadline ? await Promise.race([next, deadline]) : await next;
      if (this.stopping && !this.caughtUpOnce) break;
      if (result === TIMEOUT || (result.done && batch.length)) {
        await this.flush(batch, headAtStart);
        batch = [];
        deadline = undefined;
        if (result !== TIMEOUT) break;
        continue;
      }
      if (result.done) break;
      batch.push(result.value);
      // Awaited after a turn or a flush: a subscription failing meanwhile is still thrown here.
      next = inFlight(iterator.next());
      if (slice.counted()) {
        await slice.nextTurn();
        // Catching up, the wait ends a batch only where the store has nothing more to give. The
        // timer may have run out during this turn, which is the projector's, not the store's:
        // it would cut the batch at the next event not yet read (every ~1 s on the demo store).
        if (!this.caughtUpOnce && deadline) deadline = delay(this.batchDelayMs());
      }
      const reachedHead = !this.caughtUpOnce && result.value.position >= headAtStart;
      if (reachedHead || batch.length >= this.batchLimit()) {
        await this.flush(batch, headAtStart);
        batch = [];
        deadline = undefined;
      } else if (!deadline) {
        deadline = delay(this.batchDelayMs());
      }
    }
    // Stopped while catching up, a batch not yet applied is left to the restart (the checkpoint
    // is before it); live, it is a few events and is applied.
    if (batch.length && (this.caughtUpOnce || !this.stopping))
      await this.flush(batch, headAtStart);
  }

  private batchLimit(): number {
    return this.caughtUpOnce
      ? this.options.batchSize
      : Math.max(this.options.batchSize, this.options.catchUpBatchSize ?? 0);
  }

  /**
   * Live, a partial batch waits only briefly (latency). Catching up, events stream in as fast
   * as the store reads them, so a batch may fill for longer; the wait still ends it where the
   * store delivers nothing more before the head seen at start (events it filters out).
   */
  private batchDelayMs(): number {
    return this.caughtUpOnce
      ? this.options.maxBatchDelayMs
      : Math.max(this.options.maxBatchDelayMs, CATCH_UP_BATCH_DELAY_MS);
  }

  private async flush(batch: readonly RecordedEvent[], headAtStart: bigint): Promise<void> {
    await this.applyBatch(batch);
    if (!this.caughtUpOnce && this.current >= headAtStart) {
      await this.readStore.settle?.();
      this.markCaughtUp();
    }
  }

  private markCaughtUp(): void {
    this.caughtUpOnce = true;
    this.state = 'live';
    this.logger.log(`caught up at position ${this.current}`);
  }

  /**
   * A batch's customers go through in steps: read, evolve, write. While one step evolves, the
   * next step's read and the previous step's write are in flight, so a networked store works
   * while the projector computes; and only a few steps' records are in memory at once, not
   * every record a catch-up batch touches.
   */
  private async project(
    projection: Projection<unknown>,
    byCustomer: Map<string, CustomerEvents>,
    collection = this.collectionOf(projection),
    abandonOnStop = false,
  ): Promise<ParkedCustomer[]> {
    const relevant = [...byCustomer.values()].filter((c) =>
      c.events.some((event) => handledBy(projection, event)),
    );
    const parked: ParkedCustomer[] = [];
    if (relevant.length === 0) return parked;
    const size = this.options.customersPerStep ?? DEFAULT_CUSTOMERS_PER_STEP;
    const steps: CustomerEvents[][] = [];
    for (let from = 0; from < relevant.length; from += size)
      steps.push(relevant.slice(from, from + size));
    // Projections never change the state they are given, so the store need neither copy nor
    // freeze it.
    const read = (customers: readonly CustomerEvents[]) =>
      inFlight(
        this.readStore.getMany<unknown>(
          collection,
          customers.map((c) => c.customerId),
          { forUpdate: true },
        ),
      );
    let reading = read(steps[0]);
    let writing: Promise<unknown> = Promise.resolve();
    // Listed before its record is marked: a crash between the two parks it again on restart
    // (the listing is then written again at the same position, a no-op), never unlisted.
    const write = async (changes: StoredRecord<unknown>[], parkedNow: ParkedCustomer[]) => {
      if (parkedNow.length)
        await this.readStore.putMany(
          parkedCollection(collection),
          parkedNow.map((p) => ({ key: p.customerId, position: BigInt(p.position), value: p })),
        );
      if (changes.length) await this.readStore.putMany(collection, changes);
    };
    try {
      for (let i = 0; i < steps.length; i += 1) {
        const stored = await reading;
        if (i + 1 < steps.length) reading = read(steps[i + 1]);
        const { changes, parked: parkedNow } = evolveStep(projection, steps[i], stored);
        await writing;
        // An in-memory store answers without I/O: a batch of a catch-up (hundreds of thousands
        // of events) would otherwise hold the process, and its queries, until it is applied.
        if (i + 1 < steps.length) await nextTurn();
        // A catch-up batch can hold hundreds of thousands of events: a shutdown would wait for
        // all of them. Records written so far carry their positions; the rest is redone.
        if (abandonOnStop && this.stopping && !this.caughtUpOnce) {
          await writing;
          throw new CatchUpAbandoned();
        }
        parked.push(...parkedNow);
        if (changes.length) writing = inFlight(write(changes, parkedNow));
      }
      await writing;
      return parked;
    } catch (error) {
      // The caller retries the whole batch: nothing of this attempt may still be in flight.
      await Promise.allSettled([reading, writing]);
      throw error;
    }
  }

  /**
   * Read-store outages (errors that say they are retryable) pause the projector; it resumes
   * where it was, never skipping. An event a projection cannot apply parks its customer and
   * never gets here; anything else (a corrupt record, a store that refuses a write) would fail
   * the same way forever, so it stops the projector with its reason instead.
   */
  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const { initialMs, maxMs } = this.options.retry ?? { initialMs: 100, maxMs: 5_000 };
    let wait = initialMs;
    for (;;) {
      try {
        const result = await operation();
        if (this.state === 'retrying') {
          this.state = this.caughtUpOnce ? 'live' : 'catching-up';
          this.lastError = undefined;
          this.logger.log('read store answers again; resuming');
        }
        return result;
      } catch (error) {
        if (this.stopping || !isRetryableError(error)) throw error;
        this.state = 'retrying';
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn(`read store write failed (${this.lastError}); retrying in ${wait} ms`);
        await delay(wait);
        wait = Math.min(wait * 2, maxMs);
      }
    }
  }
}


/** Each customer's unseen events applied to its stored record: the records to write back. */
export function evolveStep(
  projection: Projection<unknown>,
  customers: readonly CustomerEvents[],
  stored: Map<string, StoredRecord<unknown>>,
): { changes: StoredRecord<unknown>[]; parked: ParkedCustomer[] } {
  const changes: StoredRecord<unknown>[] = [];
  const parked: ParkedCustomer[] = [];
  for (const { customerId, events, positions } of customers) {
    const outcome = evolveOrPark(projection, customerId, stored.get(customerId), events, positions);
    if (outcome.record) changes.push(outcome.record);
    if (outcome.parked) parked.push(outcome.parked);
  }
  return { changes, parked };
}

/**
 * A promise awaited later, after other awaits: marked handled now so that failing meanwhile
 * is not an unhandled rejection (which ends the process); awaiting it still throws.
 */
function inFlight<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function delay(ms: number): Promise<typeof TIMEOUT> {
  return new Promise((resolve) => setTimeout(() => resolve(TIMEOUT), ms));
}
