import type { EventStore } from '@rapport/event-store';
import type { SignalFacts } from '@rapport/signals';

const READ_PAGE = 5_000;

export interface StoredSignalFacts {
  /** Each profile's facts, keyed by its survivor: the record the live view keeps for it. */
  readonly facts: Map<string, SignalFacts>;
  /** The latest event time read (ms), if any customer event was. */
  readonly latest: number | undefined;
}

/**
 * The signal facts of every profile, folded from the stored history up to the head. Events are
 * grouped by the profiles the projector's own partition gives as of the head: the projector
 * folds a profile again from its member streams at each merge and undo, so its record equals
 * a fold of those streams' events in position order, which is what this is, without a refold
 * at every regroup. A customer never merged is its own profile, folded as before.
 */
export async function storedSignalFacts(
  eventStore: Pick<EventStore, 'headPosition' | 'readAll' | 'readStream'>,
): Promise<StoredSignalFacts> {
  const lib = await import('../shared/lib/signals.lib');
  const { ProfilePartition } = await import('../shared/lib/projector.lib');
  const head = await eventStore.headPosition();
  const partition = await ProfilePartition.load(eventStore, head);
  const facts = new Map<string, SignalFacts>();
  let latest: number | undefined;
  let after = -1n;
  while (after < head) {
    const events = await eventStore.readAll({ after, maxCount: READ_PAGE });
    if (events.length === 0) break;
    after = events[events.length - 1].position;
    for (const recorded of events) {
      // Beyond the head the partition was read at, a merge may not be followed yet.
      if (recorded.position > head) break;
      const customerId = lib.customerIdFromStream(recorded.streamName);
      if (customerId === undefined) continue;
      const event = lib.upcastCustomerEvent(recorded);
      if (!event) continue;
      const at = Date.parse(event.data.occurredAt);
      if (latest === undefined || at > latest) latest = at;
      if (!lib.signalFactsProjection.canHandle(event)) continue;
      const profile = partition.survivorOf(customerId);
      const before = facts.get(profile) ?? lib.initialSignalFacts(profile);
      facts.set(profile, lib.signalFactsProjection.evolve(before, event, recorded.position));
    }
  }
  return { facts, latest };
}
