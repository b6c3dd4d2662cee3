import type { CustomerEvent } from '@rapport/domain';

/**
 * A pure projection: folds one customer's events into that customer's read-model record.
 * Records are keyed by customer so that each one can be written atomically with the position
 * of the last event applied to it, and owned by one projector instance (hash of the key).
 */
export interface Projection<State> {
  /** Stable name: the read-store collection and checkpoint are derived from it. */
  readonly name: string;
  /** Bumped when evolve changes meaning: a different version needs a rebuild. */
  readonly version: number;
  canHandle(event: CustomerEvent): boolean;
  initialState(customerId: string): State;
  /**
   * `position` is the event's global position in the store, where the caller knows it (the
   * projector, rebuilds, the CLI); a projection that records it (as evidence) must not depend on
   * it otherwise.
   */
  evolve(state: State, event: CustomerEvent, position?: bigint): State;
  /**
   * Several events of one customer at once, equal to evolving them one at a time (a law each
   * projection's spec checks). Worth having where one copy per batch is cheaper than one per
   * event: catch-up and rebuilds bring many events per customer in a batch.
   */
  evolveAll?(state: State, events: readonly CustomerEvent[], positions?: readonly bigint[]): State;
}

/** Applies the events the projection handles, in order. */
export function foldProjection<State>(
  projection: Projection<State>,
  customerId: string,
  events: readonly CustomerEvent[],
  from: State = projection.initialState(customerId),
  positions?: readonly bigint[],
): State {
  const handled = events.flatMap((event, i) => (projection.canHandle(event) ? [i] : []));
  return applyEvents(
    projection,
    from,
    handled.map((i) => events[i]),
    positions && handled.map((i) => positions[i]),
  );
}

/** Applies events the projection handles, in order, with `evolveAll` where it has one. */
export function applyEvents<State>(
  projection: Projection<State>,
  state: State,
  events: readonly CustomerEvent[],
  positions?: readonly bigint[],
): State {
  if (projection.evolveAll) return projection.evolveAll(state, events, positions);
  let next = state;
  for (let i = 0; i < events.length; i += 1)
    next = projection.evolve(next, events[i], positions?.[i]);
  return next;
}
