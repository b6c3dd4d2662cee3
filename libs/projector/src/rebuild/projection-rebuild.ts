import { setImmediate as nextTurn } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import type { Projection } from '@rapport/projections';
import { ViewGenerations, type ReadStore } from '@rapport/read-store';
import { dropViewCollection } from '../parking/parked-customers';
import { checkStoreBinding } from '../binding/store-binding';
import { ReadStoreMismatchError } from '../binding/store-binding.errors';
import { Projector } from '../projector';
import { compareViews, type ViewComparison } from './compare-views';
import { RebuildInterruptedError } from './rebuild.errors';
import { buildOffThread, compareOffThread } from './off-thread/off-thread-build';
import type { OffThreadStore } from './off-thread/build-worker.protocol';

export type RebuildState =
  'building' | 'switching' | 'comparing' | 'dropping' | 'done' | 'interrupted' | 'failed';

export interface RebuildProgress {
  readonly id: string;
  readonly projection: string;
  readonly mode: 'replay' | 'dry-run' | 'verify';
  readonly state: RebuildState;
  /** Generation being built (0 for a verify's scratch view). */
  readonly generation: number;
  /** Generation live when it started. */
  readonly fromGeneration: number;
  readonly resumed: boolean;
  readonly position: bigint;
  /** Event store head, last time it was asked. */
  readonly target: bigint;
  readonly eventsApplied: number;
  readonly eventsPerSecond: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly comparison?: ViewComparison;
  readonly error?: string;
}

/** What a rebuild needs of the live projector when it runs in the same process. */
export interface LiveProjector {
  readonly position: bigint;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export interface RebuildOptions {
  readonly projection: Projection<unknown>;
  /** replay: switch when caught up; dry-run: compare, don't switch; verify: scratch view, compare. */
  readonly mode: 'replay' | 'dry-run' | 'verify';
  readonly batchSize?: number;
  /**
   * Where the event store is, for a worker thread to read it on a connection of its own: the
   * replay up to the head (nearly all of a rebuild's work) is then folded there, and this
   * thread only writes the records it is handed. Unset: everything runs on this thread.
   */
  readonly offThread?: OffThreadStore;
  /**
   * How long the old generation stays after the switch: longer than readers cache the pointer
   * and than a projector in another process takes to follow (ViewGenerations, ~1 s).
   */
  readonly graceMs?: number;
  /** The live projector, when it runs here: the switch then happens between two of its batches. */
  readonly live?: LiveProjector;
  /** Otherwise the live projector's checkpoint: the new generation catches up past it first. */
  readonly liveCheckpoint?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly id?: string;
}

const DEFAULT_BATCH = 5_000;
/** Events read in one call: a few milliseconds of an embedded store's event loop. */
const READ_SLICE = 5_000;

/**
 * Blue/green rebuild of one projection's view. A second projector replays every event from
 * position 0 into a fresh generation with its own checkpoint (so an interrupted rebuild resumes
 * where it stopped), catches up with the live projector, and then one write of the pointer
 * makes the new generation the one every reader sees. The old generation is dropped after a
 * grace period. Until the switch, nobody reads the generation being built.
 */
export class ProjectionRebuild {
  private readonly logger: Logger;
  private progress: RebuildProgress;
  /** performance.now() when run() began: the rate is events applied over the time since. */
  private runStartedAt = 0;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly generations: ViewGenerations,
    private readonly options: RebuildOptions,
  ) {
    this.logger = new Logger(`Rebuild:${options.projection.name}`);
    this.progress = {
      id: options.id ?? randomUUID(),
      projection: options.projection.name,
      mode: options.mode,
      state: 'building',
      generation: 0,
      fromGeneration: 0,
      resumed: false,
      position: -1n,
      target: -1n,
      eventsApplied: 0,
      eventsPerSecond: 0,
      startedAt: new Date().toISOString(),
    };
  }

  get id(): string {
    return this.progress.id;
  }

  status(): RebuildProgress {
    return this.progress;
  }

  async run(): Promise<RebuildProgress> {
    this.runStartedAt = performance.now();
    try {
      await this.runSteps();
      this.update({ state: 'done', finishedAt: new Date().toISOString() });
    } catch (error) {
      const interrupted = error instanceof RebuildInterruptedError;
      this.update({
        state: interrupted ? 'interrupted' : 'failed',
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date().toISOString(),
      });
      throw error;
    }
    return this.progress;
  }

  private async runSteps(): Promise<void> {
    const name = this.options.projection.name;
    this.generations.invalidate(name);
    const active = await this.generations.active(name);
    const liveCollection = ViewGenerations.collection(name, active);
    const target = await this.chooseTarget(active);
    this.logger.log(
      `${this.options.mode} of ${name}: generation ${active} → ${target.generation}` +
        (target.resumed ? ` (resuming after ${target.from})` : ''),
    );
    this.update({
      fromGeneration: active,
      generation: target.generation,
      resumed: target.resumed,
      position: target.from,
    });

    const builder = new Projector(this.eventStore, this.readStore, [this.options.projection], {
      name: target.checkpoint,
      batchSize: this.options.batchSize ?? DEFAULT_BATCH,
      maxBatchDelayMs: 0,
      collectionOf: () => target.collection,
    });
    let position = this.options.offThread
      ? await this.buildOnWorker(this.options.offThread, target)
      : await this.buildUpTo(builder, target.from, undefined);

    if (this.options.mode !== 'replay') {
      this.update({ state: 'comparing' });
      const compare = async (liveUpTo: bigint) => {
        position = await this.buildUpTo(builder, position, liveUpTo);
        const upTo = { rebuiltUpTo: position, liveUpTo };
        return this.options.offThread
          ? compareOffThread({
              readStore: this.readStore,
              projection: name,
              live: liveCollection,
              rebuilt: target.collection,
              signal: this.options.signal,
              ...upTo,
            })
          : compareViews(this.readStore, liveCollection, target.collection, upTo);
      };
      const comparison = this.options.live
        ? await this.options.live.exclusive(() => compare(this.options.live!.position))
        : await compare(await this.liveCheckpointToCompare());
      this.update({ comparison, state: 'dropping' });
      await dropViewCollection(this.readStore, target.collection);
      if (this.options.mode === 'dry-run') await this.generations.markBuilding(name, undefined);
      return;
    }

    this.update({ state: 'switching' });
    // Undefined: the live checkpoint counts in another event store (or past this one's head),
    // so there is no live position to catch up with: the new generation goes to the head, and
    // the live checkpoint restarts from there, bound to this store.
    const switchNow = async (liveAt: bigint | undefined) => {
      position = await this.buildUpTo(builder, position, liveAt);
      await this.generations.switchTo(name, target.generation);
      await this.readStore.putBinding(ViewGenerations.pointerCheckpoint(name), target.storeId);
      await this.generations.markBuilding(name, undefined);
      if (liveAt === undefined) {
        const live = this.liveCheckpointName();
        this.logger.warn(
          `${name}: the live checkpoint "${live}" counted in another event store (or beyond ` +
            `this one's head); it restarts ` +
            `at position ${position} of event store ${target.storeId}`,
        );
        // Position first: a crash before the binding leaves a checkpoint still bound to the
        // other store, which the next start refuses again, never one silently trusted.
        await this.readStore.putCheckpoint(live, position);
        await this.readStore.putBinding(live, target.storeId);
      }
    };
    if (this.options.live) {
      const live = this.options.live;
      await live.exclusive(() => switchNow(live.position));
    } else {
      await switchNow(await this.liveCheckpoint());
    }
    this.logger.log(`${name}: generation ${target.generation} is live at position ${position}`);

    this.update({ state: 'dropping' });
    await delay(this.options.graceMs ?? 3_000, this.options.signal);
    if (active !== target.generation) await dropViewCollection(this.readStore, liveCollection);
  }

  /**
   * A generation left half-built by an interrupted rebuild is resumed, never restarted, unless
   * it was built from another event store (or past this one's head): then it starts over.
   */
  private async chooseTarget(active: number) {
    const name = this.options.projection.name;
    const storeId = await this.eventStore.identity();
    if (this.options.mode === 'verify') {
      const collection = `${name}@verify`;
      const checkpoint = ViewGenerations.buildCheckpoint(name, 0).replace('@g0', '@verify');
      await dropViewCollection(this.readStore, collection);
      await this.startCheckpoint(checkpoint, storeId);
      return { generation: 0, collection, checkpoint, from: -1n, resumed: false, storeId };
    }
    const building = await this.generations.building(name);
    const unfinished = building !== undefined && building > active;
    const generation = unfinished ? building : active + 1;
    const collection = ViewGenerations.collection(name, generation);
    const checkpoint = ViewGenerations.buildCheckpoint(name, generation);
    const resumed = unfinished && (await this.builtHere(checkpoint, storeId));
    if (unfinished && !resumed)
      this.logger.warn(
        `${name}: generation ${generation} was half-built from another event store (or beyond ` +
          "this one's head); starting it over",
      );
    if (!resumed) {
      // Whatever an abandoned attempt left under this generation is not to be trusted.
      await dropViewCollection(this.readStore, collection);
      await this.startCheckpoint(checkpoint, storeId);
      await this.generations.markBuilding(name, generation);
    }
    const from = (await this.readStore.getCheckpoint(checkpoint)) ?? -1n;
    return { generation, collection, checkpoint, from, resumed, storeId };
  }

  /** Reset before bound: a crash between the two leaves nothing applied under a stale binding. */
  private async startCheckpoint(checkpoint: string, storeId: string): Promise<void> {
    await this.readStore.putCheckpoint(checkpoint, -1n);
    await this.readStore.putBinding(checkpoint, storeId);
  }

  /** The checkpoint counts in this event store (or records none) and is within its head. */
  private async builtHere(checkpoint: string, storeId: string): Promise<boolean> {
    const [position, boundTo] = await Promise.all([
      this.readStore.getCheckpoint(checkpoint),
      this.readStore.getBinding(checkpoint),
    ]);
    if (position === undefined || position < 0n) return true;
    if (boundTo !== undefined && boundTo !== storeId) return false;
    // The head after the checkpoint: a projector moving it meanwhile never passes a head read later.
    return position <= (await this.eventStore.headPosition());
  }

  /**
   * Applies pages of events until the store has no more (or `until` is reached). The next page
   * is read while the current one is being written: with a remote read store the event store
   * read overlaps the round trips instead of waiting for them.
   */
  private async buildUpTo(
    builder: Projector,
    from: bigint,
    until: bigint | undefined,
  ): Promise<bigint> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    const read = (after: bigint) => this.readPage(after, batchSize);
    let position = from;
    let headAskedAt = 0;
    let page = await read(position);
    for (;;) {
      if (this.options.signal?.aborted)
        throw new RebuildInterruptedError(this.options.projection.name, position);
      if (Date.now() - headAskedAt > 1_000) {
        headAskedAt = Date.now();
        this.update({ target: await this.eventStore.headPosition() });
      }
      const events = until === undefined ? page : page.filter((e) => e.position <= until);
      if (events.length === 0) return position;
      const last = events[events.length - 1].position;
      const applying = builder.applyBatch(events);
      const reached = until !== undefined && last >= until;
      const next = reached || events.length < page.length ? undefined : read(last);
      next?.catch(() => undefined);
      await applying;
      position = last;
      this.applied(events.length, position);
      if (!next) return position;
      page = await next;
      // With the embedded stores every await above settles without I/O: without a turn of the
      // event loop here a rebuild would hold the process (and its queries) until it is done.
      await nextTurn();
    }
  }

  /**
   * Up to the head on a worker thread; what arrives after it (and the catch-up with the live
   * projector, which must happen between two of its batches) is applied here as before.
   */
  private async buildOnWorker(
    store: OffThreadStore,
    target: { collection: string; checkpoint: string; from: bigint; resumed: boolean },
  ): Promise<bigint> {
    let headAskedAt = 0;
    return buildOffThread({
      store,
      readStore: this.readStore,
      projection: this.options.projection.name,
      collection: target.collection,
      checkpoint: target.checkpoint,
      after: target.from,
      // A generation not resumed was dropped before it began: nothing in it to read back.
      startsEmpty: !target.resumed,
      window: this.options.batchSize ?? DEFAULT_BATCH,
      signal: this.options.signal,
      onApplied: (events, position) => {
        this.applied(events, position);
        if (Date.now() - headAskedAt < 1_000) return;
        headAskedAt = Date.now();
        void this.eventStore.headPosition().then(
          (head) => this.update({ target: head > position ? head : position }),
          () => undefined,
        );
      },
    });
  }

  private liveCheckpointName(): string {
    return this.options.liveCheckpoint ?? 'projector';
  }

  /** The live projector's position, or undefined when it counts in another event store. */
  /**
   * Up to `maxCount` events after `after`, read in slices with a turn of the event loop between
   * them: a page of a catch-up batch (hundreds of thousands of events) read in one synchronous
   * call held an embedded store's process, queries included, for seconds.
   */
  private async readPage(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let from = after;
    while (events.length < maxCount) {
      const want = Math.min(READ_SLICE, maxCount - events.length);
      const slice = await this.eventStore.readAll({ after: from, maxCount: want });
      for (const event of slice) events.push(event);
      if (slice.length < want) break;
      from = slice[slice.length - 1].position;
      await nextTurn();
    }
    return events;
  }

  private async liveCheckpoint(): Promise<bigint | undefined> {
    const live = this.liveCheckpointName();
    if (await this.builtHere(live, await this.eventStore.identity()))
      return (await this.readStore.getCheckpoint(live)) ?? -1n;
    return undefined;
  }

  /** A live view built from another event store is nothing to compare with. */
  private async liveCheckpointToCompare(): Promise<bigint> {
    const live = await this.liveCheckpoint();
    if (live !== undefined) return live;
    throw new ReadStoreMismatchError(
      await checkStoreBinding(this.eventStore, this.readStore, this.liveCheckpointName()),
    );
  }

  /**
   * The rate is the whole run's: events applied over the time since it began. A window of
   * recent batches said 0 whenever the window held one batch (a view rebuilt in one page), and
   * the rate of the run is what an operator compares between rebuilds.
   */
  private applied(events: number, position: bigint): void {
    const eventsApplied = this.progress.eventsApplied + events;
    const seconds = (performance.now() - this.runStartedAt) / 1000;
    this.update({
      eventsApplied,
      position,
      eventsPerSecond: seconds > 0 ? Math.round(eventsApplied / seconds) : 0,
      target: position > this.progress.target ? position : this.progress.target,
    });
  }

  private update(change: Partial<RebuildProgress>): void {
    this.progress = { ...this.progress, ...change };
    this.options.onProgress?.(this.progress);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Progress as JSON (positions as decimal strings, as everywhere on the API). */
export function rebuildProgressJson(progress: RebuildProgress) {
  return {
    ...progress,
    position: progress.position.toString(),
    target: progress.target.toString(),
  };
}
