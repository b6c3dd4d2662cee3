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
