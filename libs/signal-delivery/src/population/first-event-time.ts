import { customerIdFromStream } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';

const PAGE = 100;

/**
 * The event time of the first customer event in the store, by position (the same in every
 * replay of it); null while there is none. Events of other streams (identity) are passed over.
 */
export async function firstEventTime(eventStore: EventStore): Promise<string | null> {
  let after = -1n;
  for (;;) {
    const events = await eventStore.readAll({ after, maxCount: PAGE });
    for (const event of events) {
      const occurredAt = (event.data as { occurredAt?: unknown }).occurredAt;
      if (customerIdFromStream(event.streamName) === undefined) continue;
      if (typeof occurredAt === 'string' && !Number.isNaN(Date.parse(occurredAt)))
        return new Date(Date.parse(occurredAt)).toISOString();
    }
    if (events.length < PAGE) return null;
    after = events[events.length - 1].position;
  }
}
