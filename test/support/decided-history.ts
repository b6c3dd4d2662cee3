import {
  customerStreamName,
  decide,
  eventIdFor,
  evolve,
  foldCustomer,
  recordTouchpoint,
  type Touchpoint,
} from '@rapport/domain';
import { generateDemoHistory } from '@rapport/demo-data';
import type { EventStore } from '@rapport/event-store';

/**
 * A six-month demo history. With a prefix, touchpoint ids are prefixed too: an id belongs to one
 * customer, and the store refuses it for another.
 */
export function demoTouchpoints(options: {
  customers: number;
  seed: number;
  endAt: string;
  prefix?: string;
}): Touchpoint[] {
  const { customers, seed, endAt, prefix = '' } = options;
  return [...generateDemoHistory({ customers, months: 6, seed, endAt })].map((tp) =>
    prefix
      ? {
          ...tp,
          customerId: `${prefix}${tp.customerId}`,
          touchpointId: `${prefix}${tp.touchpointId}`,
        }
      : tp,
  );
}

/**
 * Appends each customer's touchpoints as the write path would decide them, one append per
 * customer, straight to the store: for specs of the read side that need a history, not a platform.
 */
export async function appendDecidedHistory(
  store: EventStore,
  touchpoints: Iterable<Touchpoint>,
  recordedAt: string,
): Promise<void> {
  const byCustomer = new Map<string, Touchpoint[]>();
  for (const tp of touchpoints) {
    const list = byCustomer.get(tp.customerId);
    if (list) list.push(tp);
    else byCustomer.set(tp.customerId, [tp]);
  }
  for (const [customerId, list] of byCustomer) {
    const stream = customerStreamName(customerId);
    const existing = await store.readStream(stream);
    let state = foldCustomer([]);
    const events = [];
    for (const tp of list)
      for (const event of decide(recordTouchpoint(tp, recordedAt, 'spec'), state)) {
        state = evolve(state, event);
        events.push({
          id: eventIdFor(event.metadata.source, event.data.touchpointId),
          type: event.type,
          data: event.data,
          metadata: { ...event.metadata },
        });
      }
    await store.append(stream, events, {
      expectedRevision: existing.length ? 'any' : 'no_stream',
    });
  }
}
