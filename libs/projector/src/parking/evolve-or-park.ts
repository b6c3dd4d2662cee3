import type { CustomerEvent } from '@rapport/domain';
import {
  applyEvents,
  markedStale,
  staleMarkOf,
  type Projection,
  type StaleMark,
} from '@rapport/projections';
import type { StoredRecord } from '@rapport/read-store';
import type { ParkedCustomer } from './parked-customers';

/**
 * A stored event that could not be read as a customer event (its upcast threw: a schema
 * version this build does not know, say). It stands in its place so that the customer is
 * parked at it, and the events after it are counted as not applied.
 */
export class UnreadableEvent {
  constructor(
    readonly type: string,
    readonly error: string,
  ) {}
}

export type ProjectorEvent = CustomerEvent | UnreadableEvent;

export interface EvolveOutcome {
  /** The record to write back, if anything changed. */
  readonly record?: StoredRecord<unknown>;
  /** Set when this step parked the customer (not when it was parked before). */
  readonly parked?: ParkedCustomer;
}

/**
 * One customer's unseen events applied to its stored record. An event the projection cannot
 * apply parks the customer: the record keeps the state before that event, marked stale with
 * the event's position, type and error, and moves to the position of the last event seen, so
 * neither this event nor a later one is tried again (or counted twice) after a restart. A record
 * already marked stale only counts the events it does not apply. The same events give the same
 * outcome however they are cut into batches, so a replay parks exactly where live did.
 */
export function evolveOrPark(
  projection: Projection<unknown>,
  customerId: string,
  record: StoredRecord<unknown> | undefined,
  events: readonly ProjectorEvent[],
  positions: readonly bigint[],
): EvolveOutcome {
  let position = record?.position ?? -1n;
  // The events given, as long as every one so far is unseen and handled (the usual case: a
  // projection that handles each event of a customer, or one event per customer in a batch):
  // copied only from the first event left out, so most steps allocate no list of their own.
  let unseen: readonly ProjectorEvent[] = events;
  let unseenPositions: readonly bigint[] = positions;
  let kept: { events: ProjectorEvent[]; positions: bigint[] } | undefined;
  for (let i = 0; i < events.length; i += 1) {
    // At or below the position applied so far (before a crash, or earlier in this batch when
    // a source delivers an event twice): must not count twice.
    if (positions[i] <= position || !handledBy(projection, events[i])) {
      kept ??= { events: events.slice(0, i), positions: positions.slice(0, i) };
      continue;
    }
    kept?.events.push(events[i]);
    kept?.positions.push(positions[i]);
    position = positions[i];
  }
  if (kept) {
    unseen = kept.events;
    unseenPositions = kept.positions;
  }
  if (unseen.length === 0) return {};
  const before = record?.value ?? projection.initialState(customerId);
  const mark = staleMarkOf(before);
  if (mark) {
    const counted = { ...mark, eventsNotApplied: mark.eventsNotApplied + unseen.length };
    return { record: { key: customerId, position, value: markedStale(before, counted) } };
  }
  if (!unseen.some((event) => event instanceof UnreadableEvent)) {
    try {
      const value = applyEvents(projection, before, unseen as CustomerEvent[], unseenPositions);
      return { record: { key: customerId, position, value } };
    } catch {
      // Found below, one event at a time: which event it is, and the state before it.
    }
  }
  let state = before;
  for (let i = 0; i < unseen.length; i += 1) {
    const event = unseen[i];
    let error: string;
    if (event instanceof UnreadableEvent) error = event.error;
    else
      try {
        state = projection.evolve(state, event, unseenPositions[i]);
        continue;
      } catch (thrown) {
        error = thrown instanceof Error ? thrown.message : String(thrown);
      }
    const stale: StaleMark = {
      position: unseenPositions[i].toString(),
      eventType: event.type,
      error,
      eventsNotApplied: unseen.length - i - 1,
    };
    return {
      record: { key: customerId, position, value: markedStale(state, stale) },
      parked: {
        customerId,
        projection: projection.name,
        position: stale.position,
        eventType: stale.eventType,
        error,
      },
    };
  }
  // Only the batched form failed; one at a time equals it by law and did not.
  return { record: { key: customerId, position, value: state } };
}

export function handledBy(projection: Projection<unknown>, event: ProjectorEvent): boolean {
  // What an unreadable event would have been is unknown: every projection stops at it.
  return event instanceof UnreadableEvent || projection.canHandle(event);
}
