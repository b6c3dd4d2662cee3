import { customerIdFromStream } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import { ProfilePartition } from '@rapport/projector';

const PAGE = 1_000;

/**
 * What the log holds after the ledger's cursor (`readUpTo`), as far as a population boundary
 * evaluated as of the cursor cares: for each profile (its survivor as of the cursor) the
 * earliest event time among its events after the cursor, and the profiles a merge or undo after
 * the cursor regrouped. Read once per cursor: every boundary evaluated at that cursor shares it.
 * Live, with the projector in step, there is little after the cursor; in a rebuild of the
 * ledger it is the rest of the log.
 */
export class ChangesAfterCursor {
  private constructor(
    readonly readUpTo: bigint,
    /** The profile partition as of the cursor. */
    readonly partition: ProfilePartition,
    /** The last position read: a view record past it holds something not looked at here. */
    readonly readTo: bigint,
    private readonly earliest: ReadonlyMap<string, number>,
    private readonly regrouped: ReadonlySet<string>,
  ) {}

  static async read(eventStore: EventStore, readUpTo: bigint): Promise<ChangesAfterCursor> {
    const partition = await ProfilePartition.load(eventStore, readUpTo);
    // Followed through the graph events after the cursor; `partition` stays as of it.
    const following = await ProfilePartition.load(eventStore, readUpTo);
    const earliest = new Map<string, number>();
    const regrouped = new Set<string>();
    let after = readUpTo;
    for (;;) {
      const events = await eventStore.readAll({ after, maxCount: PAGE });
      for (const event of events) {
        const customerId = customerIdFromStream(event.streamName);
        if (customerId !== undefined) {
          const survivor = partition.survivorOf(customerId);
          const at = eventTimeOf(event.data.occurredAt);
          if (at < (earliest.get(survivor) ?? Infinity)) earliest.set(survivor, at);
        } else if (event.streamName === IDENTITY_GRAPH_STREAM) {
          const regroup = following.follow(event);
          if (!regroup) continue;
          for (const group of regroup.groups)
            for (const member of group.members) regrouped.add(partition.survivorOf(member));
          for (const member of regroup.absorbed) regrouped.add(partition.survivorOf(member));
        }
      }
      if (events.length > 0) after = events[events.length - 1].position;
      if (events.length < PAGE) break;
    }
    return new ChangesAfterCursor(readUpTo, partition, after, earliest, regrouped);
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
    const due = new Set(this.regrouped);
    for (const [survivor, at] of this.earliest) if (at < near) due.add(survivor);
    return [...due].sort(byKey);
  }

  /** Whether a graph event (a merge or undo) was appended after what `read` saw. */
  async regroupedSinceRead(eventStore: EventStore): Promise<boolean> {
    let after = this.readTo;
    for (;;) {
      const events = await eventStore.readAll({ after, maxCount: PAGE });
      if (events.some((e) => e.streamName === IDENTITY_GRAPH_STREAM)) return true;
      if (events.length < PAGE) return false;
      after = events[events.length - 1].position;
    }
  }
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
