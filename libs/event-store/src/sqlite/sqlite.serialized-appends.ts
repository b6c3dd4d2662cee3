import type { TakenEventId } from '../event-store.errors';
import type { AppendRequest, ExpectedRevision } from '../event-store.port';

/**
 * One appendMany call as the SQLite writer receives it. Event data and metadata are JSON
 * already: serialised in the caller's turn, so an event that cannot be written fails its own
 * call only, and the writer thread receives strings, which are cheap to copy between threads
 * (a structured clone of event objects cost more than the insert saved).
 */
export interface SerializedCall {
  /** Per request: stream name, expected revision, event count, then per event: id, type, data JSON, index into `metadata`. */
  readonly requests: readonly (string | number | bigint)[];
  /** Distinct metadata JSON: the events of a batch usually share one metadata object. */
  readonly metadata: readonly string[];
  /** The first this many requests are conditions of the others (AppendManyOptions). */
  readonly prerequisites?: number;
}

export interface SerializedRequest {
  readonly streamName: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly SerializedEvent[];
}

export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * What the writer answers for a request: written (or an idempotent repeat), a conflict, or
 * refused because some of its event ids are in another stream already.
 */
export type WrittenOutcome =
  | { readonly ok: true; readonly revision: number; readonly position: number }
  | {
      readonly ok: false;
      readonly streamName: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no_stream';
    }
  | { readonly ok: false; readonly streamName: string; readonly taken: readonly TakenEventId[] }
  | {
      readonly ok: false;
      readonly streamName: string;
      readonly prerequisiteRefused: true;
      /** The streams of the call's prerequisites that were refused. */
      readonly refusedStreams: readonly string[];
    };

/**
 * What the writer answers for a call. An outage (SQLite busy, read-only, I/O, closed) and any
 * other failure are told apart, since only the first is worth retrying as it is; errors are
 * described, not thrown, because they may cross a thread boundary.
 */
export type CallResult =
  { readonly outcomes: readonly WrittenOutcome[] } | { readonly failure: WriterFailure };

export interface WriterFailure {
  readonly outage: boolean;
  readonly message: string;
  /** The underlying error, e.g. SqliteError SQLITE_BUSY. */
  readonly cause?: { readonly name: string; readonly message: string; readonly code?: string };
}

/** Throws (a TypeError from JSON.stringify) for an event that cannot be serialised. */
export function serializeCall(
  requests: readonly AppendRequest[],
  prerequisites = 0,
): SerializedCall {
  const packed: (string | number | bigint)[] = [];
  const metadata: string[] = [];
  let lastMetadata: unknown;
  for (const { streamName, expectedRevision, events } of requests) {
    packed.push(streamName, expectedRevision, events.length);
    for (const event of events) {
      if (event.metadata !== lastMetadata || metadata.length === 0) {
        lastMetadata = event.metadata;
        metadata.push(JSON.stringify(event.metadata));
      }
      packed.push(event.id, event.type, JSON.stringify(event.data), metadata.length - 1);
    }
  }
  return prerequisites > 0
    ? { requests: packed, metadata, prerequisites }
    : { requests: packed, metadata };
}

export function deserializeCall({ requests, metadata }: SerializedCall): SerializedRequest[] {
  const result: SerializedRequest[] = [];
  let i = 0;
  while (i < requests.length) {
    const streamName = requests[i++] as string;
    const expectedRevision = requests[i++] as ExpectedRevision;
    const count = requests[i++] as number;
    const events: SerializedEvent[] = new Array(count);
    for (let k = 0; k < count; k++, i += 4) {
      events[k] = {
        id: requests[i] as string,
        type: requests[i + 1] as string,
        data: requests[i + 2] as string,
        metadata: metadata[requests[i + 3] as number],
      };
    }
    result.push({ streamName, expectedRevision, events });
  }
  return result;
}
