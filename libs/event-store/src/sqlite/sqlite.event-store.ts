import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendOutcome,
  AppendRequest,
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from './sqlite.schema';
import { SqliteStreamRevisions } from './sqlite.stream-revisions';
import { SqliteSubscription } from './sqlite.subscription';

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:' for tests. */
  readonly path: string;
  /** How often a subscription looks for events appended by other processes (ms). */
  readonly pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before failing (ms). */
  readonly busyTimeoutMs?: number;
}

interface EventRow {
  position: number;
  stream_name: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

/** An appendMany call waiting for the next transaction. */
interface WaitingAppend {
  readonly requests: readonly AppendRequest[];
  readonly resolve: (outcomes: AppendOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

interface StreamRow {
  id: number;
  /** -1 for a stream row whose first append is being written. */
  revision: number;
}

const SELECT_EVENT = `SELECT e.position, s.name AS stream_name, e.revision, e.event_id, e.type,
  e.data, e.metadata, e.recorded_at FROM events e JOIN streams s ON s.id = e.stream_id`;

/** The embedded default event store: one SQLite file in WAL mode, synchronous=FULL. */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly statements;
  private readonly appendAllInOneTransaction;
  private readonly streamIds = new Map<string, number>();
  private readonly revisions: SqliteStreamRevisions;
  /** Streams created by the transaction in progress: cached only after it commits. */
  private readonly createdStreams = new Map<string, number>();
  private waiting: WaitingAppend[] = [];
  /** The last metadata object serialised in the transaction in progress, and its JSON. */
  private lastMetadata: { readonly of: unknown; readonly json: string } | undefined;

  constructor(options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.openSchema();
    this.appended.setMaxListeners(0);

    const db = this.db;
    this.statements = {
      streamId: db.prepare<[string], { id: number }>('SELECT id FROM streams WHERE name = ?'),
      revision: db.prepare<[number], { revision: number | null }>(
        'SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?',
      ),
      insertStream: db.prepare<[string]>('INSERT INTO streams (name) VALUES (?)'),
      insertEvent: db.prepare<[number, number, string, string, string, string, number]>(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      idsFrom: db.prepare<[number, number, number], { event_id: string; position: number }>(
        `SELECT event_id, position FROM events WHERE stream_id = ? AND revision >= ?
         ORDER BY revision LIMIT ?`,
      ),
      revisionOfId: db.prepare<[number, string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_id = ? AND event_id = ?',
      ),
      lastPositionOfStream: db.prepare<[number], { position: number }>(
        'SELECT MAX(position) AS position FROM events WHERE stream_id = ?',
      ),
      readForwards: db.prepare<[string, number, number], EventRow>(
        `${SELECT_EVENT} WHERE s.name = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
      ),
      readBackwards: db.prepare<[string, number, number], EventRow>(
        `${SELECT_EVENT} WHERE s.name = ? AND e.revision <= ? ORDER BY e.revision DESC LIMIT ?`,
      ),
      readAll: db.prepare<[number, number], EventRow>(
        `${SELECT_EVENT} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
      ),
      head: db.prepare<[], { position: number | null }>(
        'SELECT MAX(position) AS position FROM events',
      ),
    };
    const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.revisions = new SqliteStreamRevisions(() => dataVersion.get()!);
    // Immediate: the write lock is taken before the revisions are read, so no other
    // connection can commit between the expectedRevision check and the insert.
    this.appendAllInOneTransaction = db.transaction((requests: readonly AppendRequest[]) => {
      this.revisions.begin();
      this.lastMetadata = undefined;
      return requests.map((request) => this.appendOneIsolated(request));
    }).immediate;
  }

  /** Refuses a file written by an older, incompatible layout instead of corrupting it. */
  private openSchema(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const hasTables = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events'").get();
    if (hasTables && version !== SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `the SQLite event store has layout version ${version}; this build reads version ${SQLITE_SCHEMA_VERSION}`,
      );
    }
    this.db.exec(SQLITE_SCHEMA);
    this.db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const [outcome] = await this.appendMany([
      { streamName, events, expectedRevision: options.expectedRevision },
    ]);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * Group commit: the appendMany calls made while the event loop is busy (several Kafka
   * partitions' batches, concurrent HTTP requests) share one transaction, since a commit costs
   * far more than a row. Each request is still judged on its own, in call order, exactly as if
   * the calls had come one after another.
   */
  async appendMany(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    if (requests.length === 0) return [];
    return new Promise((resolve, reject) => {
      this.waiting.push({ requests, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.commitWaiting());
    });
  }

  private commitWaiting(): void {
    const group = this.waiting;
    this.waiting = [];
    try {
      const outcomes = this.appendInOneTransaction(group.flatMap((call) => call.requests));
      let from = 0;
      for (const call of group) {
        call.resolve(outcomes.slice(from, from + call.requests.length));
        from += call.requests.length;
      }
    } catch (error) {
      // An outage fails every call alike. Anything else came from one call's requests (an
      // event that can't be serialised): the others must not fail with it, so each call
      // gets a transaction of its own.
      if (group.length === 1 || error instanceof EventStoreUnavailableError) {
        for (const call of group) call.reject(error);
        return;
      }
      for (const call of group) {
        try {
          call.resolve(this.appendInOneTransaction(call.requests));
        } catch (callError) {
          call.reject(callError);
        }
      }
    }
  }

  private appendInOneTransaction(requests: readonly AppendRequest[]): AppendOutcome[] {
    this.createdStreams.clear();
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.guard('append', () => this.appendAllInOneTransaction(requests));
      for (const [name, id] of this.createdStreams) this.streamIds.set(name, id);
      this.revisions.committedNow();
    } finally {
      // Ids and revisions of a transaction that rolled back must not be remembered.
      this.createdStreams.clear();
      this.revisions.rolledBack();
    }
    if (outcomes.some((outcome) => outcome.ok)) this.appended.emit('appended');
    return outcomes;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows = this.guard('read stream', () =>
      options.direction === 'backwards'
        ? this.statements.readBackwards.all(
            streamName,
            Number(options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER)),
            maxCount,
          )
        : this.statements.readForwards.all(
            streamName,
            Number(options.fromRevision ?? 0n),
            maxCount,
          ),
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.after ?? -1n, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  async headPosition(): Promise<bigint> {
    const row = this.guard('read head', () => this.statements.head.get());
    return row?.position == null ? -1n : BigInt(row.position);
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    return new SqliteSubscription({
      after: options.after ?? -1n,
      readPage: (after) => this.readAllSync(after, 1000),
      appended: this.appended,
      pollIntervalMs: this.pollIntervalMs,
    });
  }

  async close(): Promise<void> {
    this.appended.emit('closed');
    if (this.db.open) this.db.close();
  }

  private readAllSync(after: bigint, maxCount: number): RecordedEvent[] {
    const rows = this.guard('read all', () => this.statements.readAll.all(Number(after), maxCount));
    return rows.map(toRecordedEvent);
  }

  /** One request inside the batch transaction; a conflict fails only this request. */
  private appendOneIsolated(request: AppendRequest): AppendOutcome {
    try {
      return { ok: true, result: this.appendOne(request) };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return { ok: false, error };
      throw error;
    }
  }

  /**
   * Stream ids never change once committed, so they are cached; the revision is known from
   * this connection's own appends unless another connection has written since (see
   * SqliteStreamRevisions), else read inside the write transaction.
   */
  private findStream(streamName: string): StreamRow | undefined {
    let id = this.streamIds.get(streamName) ?? this.createdStreams.get(streamName);
    if (id === undefined) {
      id = this.statements.streamId.get(streamName)?.id;
      if (id === undefined) return undefined;
      this.streamIds.set(streamName, id);
    }
    const known = this.revisions.get(id);
    if (known !== undefined) return { id, revision: known };
    const revision = this.statements.revision.get(id)?.revision;
    if (revision == null) return undefined;
    this.revisions.found(id, revision);
    return { id, revision };
  }

  private appendOne({ streamName, events, expectedRevision }: AppendRequest): AppendResult {
    const stream = this.findStream(streamName);
    const current = stream ? BigInt(stream.revision) : -1n;

    if (stream && events.length > 0) {
      const repeat = this.idempotentRepeat(stream, events, expectedRevision);
      if (repeat) return repeat;
    }
    if (!revisionMatches(expectedRevision, stream ? current : undefined)) {
      throw new WrongExpectedRevisionError(
        streamName,
        expectedRevision,
        stream ? current : 'no_stream',
      );
    }
    if (events.length === 0) {
      const last = stream ? this.statements.lastPositionOfStream.get(stream.id)?.position : null;
      return { nextExpectedRevision: current, position: last == null ? -1n : BigInt(last) };
    }

    const streamId = stream ? stream.id : this.createStream(streamName);
    const recordedAt = Date.now();
    let revision = Number(current);
    let position = 0;
    for (const event of events) {
      revision += 1;
      position = Number(
        this.statements.insertEvent.run(
          streamId,
          revision,
          event.id,
          event.type,
          JSON.stringify(event.data),
          this.metadataJson(event.metadata),
          recordedAt,
        ).lastInsertRowid,
      );
    }
    this.revisions.written(streamId, revision);
    return { nextExpectedRevision: BigInt(revision), position: BigInt(position) };
  }

  /**
   * Events often share one metadata object (a batch of touchpoints): serialised once. Only
   * within one transaction, which runs synchronously: between two, a caller may change it.
   */
  private metadataJson(metadata: NewEvent['metadata']): string {
    if (this.lastMetadata?.of !== metadata) {
      this.lastMetadata = { of: metadata, json: JSON.stringify(metadata) };
    }
    return this.lastMetadata.json;
  }

  /** Inside the append transaction: remembered for good only once the transaction commits. */
  private createStream(streamName: string): number {
    const existing = this.statements.streamId.get(streamName)?.id;
    const id = existing ?? Number(this.statements.insertStream.run(streamName).lastInsertRowid);
    this.createdStreams.set(streamName, id);
    return id;
  }

  /**
   * EventStoreDB's idempotence: the same event ids appended again (after the same expected
   * revision, or with `any`/`stream_exists`) are acknowledged without being written twice.
   */
  private idempotentRepeat(
    stream: StreamRow,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendResult | undefined {
    let from: number;
    if (typeof expected === 'bigint' || expected === 'no_stream') {
      from = expected === 'no_stream' ? 0 : Number(expected) + 1;
      if (from > stream.revision) return undefined;
    } else {
      const found = this.statements.revisionOfId.get(stream.id, events[0].id);
      if (!found) return undefined;
      from = found.revision;
    }
    const existing = this.statements.idsFrom.all(stream.id, from, events.length);
    if (existing.length !== events.length) return undefined;
    if (!existing.every((row, i) => row.event_id === events[i].id)) return undefined;
    return {
      nextExpectedRevision: BigInt(from + events.length - 1),
      position: BigInt(existing[existing.length - 1].position),
    };
  }

  /** SQLite failures (locked, read-only, disk full, I/O) are outages: retry, never reject. */
  private guard<T>(operation: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw error;
      if (isSqliteError(error) || !this.db.open) {
        throw new EventStoreUnavailableError(`SQLite event store: ${operation} failed`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/**
 * better-sqlite3 hands its error class to the native addon once per process, so where a
 * second copy of the module is loaded (Jest's registry per test file, a nested install) the
 * errors thrown are not `instanceof` this copy's SqliteError: a locked file then surfaced as
 * an unexpected error (HTTP 500) instead of an outage (503). The SQLite result code decides.
 */
function isSqliteError(error: unknown): boolean {
  if (error instanceof Database.SqliteError) return true;
  // Not `instanceof Error` either: that copy's class may extend another realm's Error.
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && code.startsWith('SQLITE_');
}

function revisionMatches(expected: ExpectedRevision, current: bigint | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === undefined;
  if (expected === 'stream_exists') return current !== undefined;
  return current === expected;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: new Date(row.recorded_at),
  };
}
