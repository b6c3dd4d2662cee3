import type { EventStore } from '@rapport/event-store';
import {
  foldIdentityGraph,
  IDENTITY_GRAPH_STREAM,
  isIdentityEvent,
  partitionOf,
  type IdentityEvent,
} from '@rapport/identity';

/** A profile as the identity graph has it now: its survivor and every member customer. */
export interface CurrentProfile {
  /** The survivor: the customer id whose records hold the profile's views. */
  readonly id: string;
  /** Every member customer, in id order, the survivor among them. */
  readonly members: readonly string[];
}

/**
 * The profile `customerId` belongs to now (itself alone if never merged), folded from the
 * identity graph stream: the partition every view follows, whether or not the projector has
 * caught up with it yet.
 */
export async function currentProfileOf(
  eventStore: Pick<EventStore, 'readStream'>,
  customerId: string,
): Promise<CurrentProfile> {
  const recorded = await eventStore.readStream(IDENTITY_GRAPH_STREAM);
  const graph = foldIdentityGraph(
    recorded.filter(isIdentityEvent).map((r) => ({ type: r.type, data: r.data }) as IdentityEvent),
  );
  const partition = partitionOf(graph);
  const id = partition.survivorOf(customerId);
  return { id, members: partition.membersOf(id) };
}
