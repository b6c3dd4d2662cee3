import type { ExpectedRevision } from './event-store.port';

/**
 * The stream moved on since it was read. Retryable as a new decision: reload the state,
 * decide again, append again.
 */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  readonly retryable = true;

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
    options?: { cause?: unknown },
  ) {
    super(
      `stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`,
      options,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id of a refused append, and the stream that already holds it. */
export interface TakenEventId {
  readonly eventId: string;
  readonly streamName: string;
}

/**
 * Event ids are unique in the whole store, not only in their stream: an append carrying an id
 * that another stream holds is refused whole, nothing of it written. Not retryable: the same
 * append is refused again; drop the events named and decide again.
 */
export class EventIdTakenError extends Error {
  readonly code = 'EVENT_ID_TAKEN';
  readonly retryable = false;

  constructor(
    readonly streamName: string,
    /** Every id of the append that is taken, not only the first. */
    readonly taken: readonly TakenEventId[],
  ) {
    super(
      `stream ${streamName}: ${taken
        .map((t) => `event id ${t.eventId} is already in stream ${t.streamName}`)
        .join('; ')}`,
    );
    this.name = 'EventIdTakenError';
  }
}

/**
 * A request of appendMany not written because a prerequisite of the same call was refused
 * (AppendManyOptions): a request after the prerequisites, or, where the store writes them all
 * or none, a prerequisite that would have been accepted. Retryable as a new decision: what the
 * prerequisites assumed no longer holds.
 */
export class PrerequisiteRefusedError extends Error {
  readonly code = 'PREREQUISITE_REFUSED';
  readonly retryable = true;

  constructor(
    readonly streamName: string,
    /** The streams of the prerequisites that were refused, in call order. */
    readonly refusedStreams: readonly string[] = [],
  ) {
    const which = refusedStreams.length ? ` (refused: ${refusedStreams.join(', ')})` : '';
    super(
      `stream ${streamName}: not written, since a prerequisite of the same call was refused${which}`,
    );
    this.name = 'PrerequisiteRefusedError';
  }
}

/** The store could not be reached or did not answer: retry the same call later. */
export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

export function isWrongExpectedRevision(error: unknown): error is WrongExpectedRevisionError {
  return error instanceof WrongExpectedRevisionError;
}

export function isPrerequisiteRefused(error: unknown): error is PrerequisiteRefusedError {
  return error instanceof PrerequisiteRefusedError;
}

export function isEventIdTaken(error: unknown): error is EventIdTakenError {
  return error instanceof EventIdTakenError;
}
