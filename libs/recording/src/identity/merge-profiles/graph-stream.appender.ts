import { isWrongExpectedRevision, type EventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM, type IdentityEvent } from '@rapport/identity';
import { identityNewEvent } from '../identity-new-event';

/**
 * Appends graph events at the revision they were decided on: undefined when the graph moved
 * meanwhile (decide again), the position of the last event otherwise.
 */
export async function appendToGraph(
  store: EventStore,
  revision: bigint,
  events: readonly IdentityEvent[],
): Promise<bigint | undefined> {
  try {
    const result = await store.append(IDENTITY_GRAPH_STREAM, events.map(identityNewEvent), {
      expectedRevision: revision < 0n ? 'no_stream' : revision,
    });
    return result.position;
  } catch (error) {
    if (isWrongExpectedRevision(error)) return undefined;
    throw error;
  }
}

export const GRAPH_ATTEMPTS = 5;
