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
  evolve(state: State, event: CustomerEvent): State;
}

export function foldProjection<State>(
  projection: Projection<State>,
  customerId: string,
  events: Iterable<CustomerEvent>,
  from: State = projection.initialState(customerId),
): State {
  let state = from;
  for (const event of events)
    if (projection.canHandle(event)) state = projection.evolve(state, event);
  return state;
}
