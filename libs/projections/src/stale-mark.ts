/**
 * Why a record stopped following its customer's events: the projector could not apply one of
 * them (a projection bug, an event from an older or newer writer, a hand edit) and parked the
 * customer. The record keeps what it had before that event; later events are counted, not
 * applied, until a rebuild after the fix replaces the record.
 */
export interface StaleMark {
  /** Global position of the event that could not be applied (decimal string, as on the API). */
  readonly position: string;
  /** Its stored type (it may not be a type this build knows). */
  readonly eventType: string;
  readonly error: string;
  /** The customer's later events, not applied since. */
  readonly eventsNotApplied: number;
}

/** A record value the projector marked stale carries the mark beside its fields. */
export interface MaybeStale {
  readonly stale?: StaleMark;
}

/** The mark of a record value, if the projector parked that customer. */
export function staleMarkOf(value: unknown): StaleMark | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as MaybeStale).stale;
}

/** `value` marked stale; the rest of it stays as it was. */
export function markedStale<T>(value: T, mark: StaleMark): T & MaybeStale {
  return { ...(value as object), stale: mark } as T & MaybeStale;
}
