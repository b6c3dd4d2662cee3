/**
 * The event store port. Revisions count events within a stream from 0; positions order all
 * events of all streams and only ever increase in commit order. Both are bigint because the
 * engines behind this port (EventStoreDB) use 64-bit values.
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

export type JsonObject = { readonly [key: string]: unknown };

export interface NewEvent {
  /**
   * Deterministic id, unique in the whole store: appending events whose ids are already in the
   * stream is an idempotent repeat (acknowledged, not written again); an id that another stream
   * holds refuses the append with EventIdTakenError.
   */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** When the store committed the event (wall clock; projections use event time instead). */
  readonly recordedAt: Date;
}

/**
 * - `any`: no check;
 * - `no_stream`: the stream must not exist;
 * - `stream_exists`: the stream must exist;
 * - a bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendResult {
  /** Revision of the stream's last event after the append (pass it as the next expectedRevision). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (or already present, for an idempotent repeat). */
  readonly position: bigint;
}

export interface AppendRequest {
  readonly streamName: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendManyOptions {
  /**
   * The first `prerequisites` requests are conditions of the others, and are written all or
   * none: each is judged on its own as ever, and when any of them is refused (its own error,
   * e.g. WrongExpectedRevisionError), none of them is written and each of the others (the
   * prerequisites that would have been accepted, and every request after them) fails with the
   * retryable PrerequisiteRefusedError naming the refused ones. The requests after them are
   * written only when every prerequisite was. A prerequisite that is an idempotent repeat was
   * stored before and stays so. Default 0.
   *
   * Where the engine writes no two streams in one transaction (EventStoreDB), all or none
   * holds for the requests after the prerequisites only: prerequisites accepted beside a
   * refused one stay written, as after a crash between them (see EventStoreDbEventStore).
   */
  readonly prerequisites?: number;
}

export type AppendOutcome =
  | { readonly ok: true; readonly result: AppendResult }
  | { readonly ok: false; readonly error: Error };

export interface ReadStreamOptions {
  /** First revision to read (inclusive); default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Read events strictly after this position; default: from the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position (a checkpoint); default: from the beginning. */
  readonly after?: bigint;
}

/** History first, then live events, in position order, without gaps or repeats. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(
    streamName: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Several independent appends, each atomic for its stream and judged on its own (one
   * conflict or taken event id fails only its request; of two requests carrying the same new
   * id for different streams, one is written and the other refused). Adapters may batch them into one round trip.
   * With `prerequisites`, the requests after them depend on them (see AppendManyOptions).
   */
  appendMany(
    requests: readonly AppendRequest[],
    options?: AppendManyOptions,
  ): Promise<AppendOutcome[]>;
  /** All events of the stream in revision order; an empty array for a stream that doesn't exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the store, or -1n when it is empty. */
  headPosition(): Promise<bigint>;
  /**
   * The store's identity: made once when the store is created, kept in the store itself (so a
   * backup carries it), never the same for two stores. A read store records the identity its
   * positions count in; positions of another store mean nothing there.
   */
  identity(): Promise<string>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  close(): Promise<void>;
}
