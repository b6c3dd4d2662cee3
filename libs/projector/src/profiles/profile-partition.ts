import type { EventStore, RecordedEvent } from '@rapport/event-store';
import {
  evolveIdentityGraph,
  IDENTITY_GRAPH_STREAM,
  initialIdentityGraph,
  partitionOf,
  type IdentityGraph,
  type MergeUndone,
  type ProfilesMerged,
} from '@rapport/identity';

/** A profile's customers (member streams) and the one whose record holds them all. */
export interface ProfileGroup {
  readonly survivor: string;
  /** In id order; the survivor alone when the profile was never merged. */
  readonly members: readonly string[];
}

/**
 * A merge or an undo that changed the partition at `position`: the groups of every customer
 * whose profile changed, as they are after it, and the customers that no longer have a record
 * of their own (absorbed into another profile's).
 */
export interface Regroup {
  readonly position: bigint;
  readonly groups: readonly ProfileGroup[];
  readonly absorbed: readonly string[];
}

/**
 * Which profile each customer stream belongs to, as of the last graph event followed. The
 * projector follows it in $all order, so every event is routed by the partition at its own
 * position: a live run, a restart and a rebuild route the same event to the same record.
 */
export class ProfilePartition {
  private constructor(private readonly graph: IdentityGraph) {}

  static empty(): ProfilePartition {
    return new ProfilePartition(initialIdentityGraph());
  }

  /**
   * The partition after every graph event up to `upTo` (a checkpoint): derived from the graph
   * stream, not stored, so it can never disagree with the events a restart resumes after.
   */
  static async load(
    store: Pick<EventStore, 'readStream'>,
    upTo: bigint,
  ): Promise<ProfilePartition> {
    const partition = ProfilePartition.empty();
    if (upTo < 0n) return partition;
    for (const recorded of await store.readStream(IDENTITY_GRAPH_STREAM))
      if (recorded.position <= upTo) partition.follow(recorded);
    return partition;
  }

  /** The customer whose record holds this customer's events now. */
  survivorOf(customerId: string): string {
    return partitionOf(this.graph).survivorOf(customerId);
  }

  membersOf(survivor: string): readonly string[] {
    return partitionOf(this.graph).membersOf(survivor);
  }

  /**
   * Folds a graph event; returns what it regrouped, if anything. A merge of two customers
   * already in one profile, a repeated merge and an undo of an undone merge change nothing.
   */
  follow(recorded: RecordedEvent): Regroup | undefined {
    if (recorded.streamName !== IDENTITY_GRAPH_STREAM) return undefined;
    if (recorded.type !== 'ProfilesMerged' && recorded.type !== 'MergeUndone') return undefined;
    const event = { type: recorded.type, data: recorded.data } as ProfilesMerged | MergeUndone;
    const touched =
      event.type === 'ProfilesMerged'
        ? event.data.profiles
        : (this.graph.merges.get(event.data.mergeId)?.profiles ?? []);
    const before = partitionOf(this.graph);
    // Kept apart: a merge changes the partition in place.
    const survivorBefore = new Map<string, string>();
    for (const id of touched)
      for (const m of before.membersOf(before.survivorOf(id)))
        survivorBefore.set(m, before.survivorOf(m));
    evolveIdentityGraph(this.graph, event);
    const after = partitionOf(this.graph);
    const affected = new Set(survivorBefore.keys());
    for (const id of touched)
      for (const m of after.membersOf(after.survivorOf(id))) affected.add(m);
    const ids = [...affected].sort();
    if (ids.every((id) => (survivorBefore.get(id) ?? id) === after.survivorOf(id)))
      return undefined;
    const survivors = [...new Set(ids.map((id) => after.survivorOf(id)))];
    return {
      position: recorded.position,
      groups: survivors.map((survivor) => ({ survivor, members: after.membersOf(survivor) })),
      absorbed: ids.filter((id) => after.survivorOf(id) !== id),
    };
  }
}
