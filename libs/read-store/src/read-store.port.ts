/**
 * The read-model store port. A collection holds one record per key (a customer); each record
 * carries the global position of the last event applied to it, and a record and its position
 * are always written together in one atomic step. A write whose position is not beyond the
 * stored one is skipped: that is what makes re-delivery after a crash harmless.
 */
export const READ_STORE = Symbol('READ_STORE');

export interface StoredRecord<T> {
  readonly key: string;
  /** Global position of the last event applied to this record. */
  readonly position: bigint;
  readonly value: T;
}

/**
 * A record as its value's JSON text, UTF-8 encoded: what a rebuild's worker thread hands over
 * and is handed, so that the thread serving queries neither builds nor walks the objects of
 * the views it stores for the worker (they stay bytes outside the V8 heap).
 */
export interface EncodedRecord {
  readonly key: string;
  readonly position: bigint;
  /** JSON.stringify(value) as UTF-8, in a buffer of its own (the store keeps it). */
  readonly json: Uint8Array;
}

export interface EncodedPage {
  readonly records: readonly EncodedRecord[];
  readonly next?: string;
}

export interface ListOptions extends ReadOptions {
  /** Return keys strictly after this one (a cursor from a previous page). */
  readonly after?: string;
  readonly limit: number;
}

export interface RecordPage<T> {
  readonly records: readonly StoredRecord<T>[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

export interface ReadOptions {
  /**
   * The caller will not change what it reads (the projector: projections are pure), so an
   * adapter may hand out its own deeply frozen value instead of a copy.
   */
  readonly shared?: boolean;
  /**
   * The caller derives each record's next value from what it reads and writes that back (the
   * projector): it changes nothing it reads and keeps nothing of it after the write. An adapter
   * may hand out the value it holds as it is, neither copied nor frozen.
   */
  readonly forUpdate?: boolean;
}

export interface ReadStore {
  /** One record, read as getMany reads it (a copy unless the options say otherwise). */
  get<T>(
    collection: string,
    key: string,
    options?: ReadOptions,
  ): Promise<StoredRecord<T> | undefined>;
  getMany<T>(
    collection: string,
    keys: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, StoredRecord<T>>>;
  /**
   * Writes each record with its position, atomically per record, unless the stored record is
   * already at or beyond that position. Returns how many records were written. Values are
   * plain JSON data; the store owns them once written: the writer must not change them after.
   */
  putMany<T>(collection: string, records: readonly StoredRecord<T>[]): Promise<number>;
  /**
   * Removes records, whatever their positions: a customer merged into another's profile has no
   * record of its own any more (see the projector's regroups). Keys not stored are ignored.
   */
  deleteMany(collection: string, keys: readonly string[]): Promise<void>;
  /** Records in ascending key order, a page at a time. */
  list<T>(collection: string, options: ListOptions): Promise<RecordPage<T>>;
  count(collection: string): Promise<number>;
  dropCollection(collection: string): Promise<void>;
  /** Where a projector resumes: only a hint, the per-record positions decide what is applied. */
  getCheckpoint(name: string): Promise<bigint | undefined>;
  putCheckpoint(name: string, position: bigint): Promise<void>;
  /**
   * The identity of the event store whose positions the checkpoint `name` counts (see
   * EventStore#identity); undefined where none was recorded (a store written before
   * bindings, or a checkpoint never bound).
   */
  getBinding(name: string): Promise<string | undefined>;
  putBinding(name: string, eventStoreId: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Records held in this process, as objects and as text (for metrics); absent where records
   * are held elsewhere (Redis).
   */
  heldRecords?(): { objects: number; text: number };
  /**
   * A catch-up from far behind is over (the projector reached the head it started for): the
   * records it wrote may now take the form they rest in. Absent where there is one form.
   */
  settle?(): Promise<void>;
  /**
   * The same reads and writes with values as JSON text (see EncodedRecord), where the adapter
   * can store and return text without parsing it; absent otherwise (callers then use objects).
   */
  readonly encoded?: EncodedRecords;
  /**
   * How another thread of this process opens the same records with a connection of its own
   * (openReadStoreAt), so that a rebuild's worker reads and writes them itself; absent where
   * the records live in this thread's memory only.
   */
  readonly location?: ReadStoreLocation;
}

/** Where a read store's records live, for a connection of another thread's own. */
export interface ReadStoreLocation {
  readonly kind: 'redis';
  readonly url: string;
  readonly keyPrefix: string;
  readonly roundTripTimeoutMs: number;
  readonly recordsPerRoundTrip: number;
}

export interface EncodedRecords {
  getMany(collection: string, keys: readonly string[]): Promise<EncodedRecord[]>;
  /** As ReadStore#putMany: skipped where the stored record is at or beyond the position. */
  putMany(collection: string, records: readonly EncodedRecord[]): Promise<number>;
  list(collection: string, options: { after?: string; limit: number }): Promise<EncodedPage>;
}
