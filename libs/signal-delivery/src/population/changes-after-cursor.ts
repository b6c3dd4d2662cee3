import { customerIdFromStream } from '@rapport/domain';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import type { DatedView } from '@rapport/insights';
import { ProfilePartition } from '@rapport/projector';
import { EarliestEventTimes } from './earliest-event-times';

const PAGE = 1_000;
/**
 * Most profiles whose fold as of the cursor is kept (a dated view each, about 1.3 KB, or null
 * for a profile with no event up to the cursor): past it the rest are folded for each boundary.
 */
const MAX_KEPT_FOLDS = 100_000;

/**
 * What the log holds after the ledger's cursor (`readUpTo`), as far as a population boundary
 * evaluated as of the cursor cares: for each profile (its survivor as of the cursor) the
 * earliest event time among its events after the cursor, and the profiles a merge or undo after
 * the cursor regrouped. Every boundary evaluated at a cursor shares it.
 *
 * Carried from cursor to cursor (see {@link moveTo}): what the cursor passes is dropped, graph
 * events it passes move the partition forward, and only what was appended after the last
 * position read is read. Live, with the projector in step, there is little after the cursor;
 * in a rebuild of the ledger it is the rest of the log, read once, not once per cursor.
 */
export class ChangesAfterCursor {
  private readonly earliest = new EarliestEventTimes();
  /** The graph's merges and undos after the cursor, in position order. */
  private readonly graphAfter: GraphChange[] = [];
  /** By survivor as of the cursor, from `earliest`: kept for the boundaries until a change. */
  private earliestBySurvivor: Map<string, number> | undefined;
  /**
   * Profiles folded as of the cursor, by survivor. A fold counts the member streams' events up
   * to the cursor, whatever the boundary, so every boundary evaluated at this cursor can share
   * it: a first start over a store written customer by customer finds most profiles due at
   * every boundary, and folded each of them again for each one.
   */
  private readonly folds = new Map<string, DatedView | null>();

  private constructor(
    private cursor: bigint,
    /** The profile partition as of the cursor. */
    readonly partition: ProfilePartition,
    /** The profile partition as of the last position read: what a regroup read next is to. */
    private readonly following: ProfilePartition,
    private lastRead: bigint,
    private readonly storeId: string,
  ) {}

  /** Everything after `readUpTo`, read afresh. */
  static async read(eventStore: EventStore, readUpTo: bigint): Promise<ChangesAfterCursor> {
    // Read once for both partitions.
    const graph = readUpTo < 0n ? [] : await eventStore.readStream(IDENTITY_GRAPH_STREAM);
    const loaded = { readStream: () => Promise.resolve(graph) };
    const changes = new ChangesAfterCursor(
      readUpTo,
      await ProfilePartition.load(loaded, readUpTo),
      // Followed through the graph events after the cursor; `partition` stays as of it.
      await ProfilePartition.load(loaded, readUpTo),
      readUpTo,
      await eventStore.identity(),
    );
    await changes.readAppended(eventStore);
    return changes;
  }

  get readUpTo(): bigint {
    return this.cursor;
  }

  /** The last position read: a view record past it holds something not looked at here. */
  get readTo(): bigint {
    return this.lastRead;
  }

  /**
   * Moves the cursor forward to `readUpTo` and reads what was appended since the last read, as
   * a fresh `read` at `readUpTo` would have it. False, with nothing changed, where what is held
   * cannot be carried there: the cursor went back (a rebuild of the ledger), or the store is
   * not the one read (another identity, or its head is before the last position read: the
   * store was reset or replaced); the caller reads afresh. A generation switch of the views
   * changes nothing here: this is the log's, not a view's. A failure midway leaves this half
   * moved: read afresh after one.
   */
  async moveTo(eventStore: EventStore, readUpTo: bigint): Promise<boolean> {
    if (readUpTo < this.cursor) return false;
    const [storeId, head] = await Promise.all([eventStore.identity(), eventStore.headPosition()]);
    if (storeId !== this.storeId || head < this.lastRead) return false;
    this.cursor = readUpTo;
    // Folds as of the old cursor (and its partition) no longer hold.
    this.folds.clear();
    await this.readAppended(eventStore);
    if (this.lastRead < readUpTo) this.lastRead = readUpTo;
    this.earliest.passUpTo(readUpTo);
    this.earliestBySurvivor = undefined;
    let passed = 0;
    for (; passed < this.graphAfter.length; passed++) {
      const { event } = this.graphAfter[passed];
      if (event.position > readUpTo) break;
      this.partition.follow(event);
    }
    this.graphAfter.splice(0, passed);
    return true;
  }

  /** The profile's fold as of the cursor, if kept (null: it had no event up to the cursor). */
  foldAsOfCursor(survivor: string): DatedView | null | undefined {
    return this.folds.get(survivor);
  }

  /** Keeps a profile's fold as of the cursor for the next boundaries, up to MAX_KEPT_FOLDS. */
  keepFold(survivor: string, view: DatedView | null): void {
    if (this.folds.size < MAX_KEPT_FOLDS) this.folds.set(survivor, view);
  }

  /** Reads what was appended after the last position read (the cursor stays). */
  async readAppended(eventStore: EventStore): Promise<void> {
    for (;;) {
      const events = await eventStore.readAll({ after: this.lastRead, maxCount: PAGE });
      for (const event of events) {
        const customerId = customerIdFromStream(event.streamName);
        // A cursor moved past the last position read passes some of what is read here.
        if (customerId !== undefined) {
          if (event.position > this.cursor)
            this.earliest.add(customerId, event.position, eventTimeOf(event.data.occurredAt));
        } else if (event.streamName === IDENTITY_GRAPH_STREAM) {
          if (event.type !== 'ProfilesMerged' && event.type !== 'MergeUndone') continue;
          // Kept even past the cursor: moveTo folds the passed ones into `partition`.
          const regroup = this.following.follow(event);
          const members = regroup
            ? [...regroup.groups.flatMap((group) => group.members), ...regroup.absorbed]
            : [];
          this.graphAfter.push({ event, members });
        }
      }
      if (events.length > 0) {
        this.lastRead = events[events.length - 1].position;
        this.earliestBySurvivor = undefined;
      }
      if (events.length < PAGE) return;
    }
  }

  /**
   * Profiles whose view as of `boundary` may differ from their view as of the cursor, in key
   * order: regrouped after the cursor, or with an event after it whose event time is less than
   * two days after the boundary. The as-of computation filters by event time, but some inputs
   * by day (activity and service by day, the day in the event's own offset): an event later
   * the same day, or the next in another offset, can change them; two days cover any offset.
   */
  dueFor(boundary: string): string[] {
    const near = Date.parse(boundary) + NEAR_MS;
    const due = this.regrouped();
    for (const [survivor, at] of this.bySurvivor()) if (at < near) due.add(survivor);
    return [...due].sort(byKey);
  }

  private bySurvivor(): Map<string, number> {
    if (this.earliestBySurvivor) return this.earliestBySurvivor;
    const bySurvivor = new Map<string, number>();
    for (const [customerId, at] of this.earliest.earliest()) {
      const survivor = this.partition.survivorOf(customerId);
      if (at < (bySurvivor.get(survivor) ?? Infinity)) bySurvivor.set(survivor, at);
    }
    this.earliestBySurvivor = bySurvivor;
    return bySurvivor;
  }

  /** Survivors as of the cursor whose profile a merge or undo after it changed. */
  regrouped(): Set<string> {
    const regrouped = new Set<string>();
    for (const { members } of this.graphAfter)
      for (const member of members) regrouped.add(this.partition.survivorOf(member));
    return regrouped;
  }

  /** Whether a graph event (a merge or undo) was appended after what was read. */
  async regroupedSinceRead(eventStore: EventStore): Promise<boolean> {
    let after = this.lastRead;
    for (;;) {
      const events = await eventStore.readAll({ after, maxCount: PAGE });
      if (events.some((e) => e.streamName === IDENTITY_GRAPH_STREAM)) return true;
      if (events.length < PAGE) return false;
      after = events[events.length - 1].position;
    }
  }
}

/** A merge or undo after the cursor, with the customers whose profile it regrouped (if any). */
interface GraphChange {
  readonly event: RecordedEvent;
  readonly members: readonly string[];
}

const NEAR_MS = 2 * 86_400_000;

/** Event time in ms; an event without a readable one is taken as the earliest possible. */
function eventTimeOf(occurredAt: unknown): number {
  const at = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

/** The order the read stores list keys in (code units, as `sort()` and Redis' lex order). */
export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
