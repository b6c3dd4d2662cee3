import type Database from 'better-sqlite3';
import type { TakenEventId } from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';
import {
  deserializeCall,
  type CallResult,
  type SerializedCall,
  type SerializedEvent,
  type SerializedRequest,
  type WriterFailure,
  type WrittenOutcome,
} from './sqlite.serialized-appends';
import { SqliteStreamRevisions } from './sqlite.stream-revisions';

interface StreamRow {
  id: number;
  revision: number;
}

/**
 * What findStream found: the stream's row id when the name has a row, and the stream when it
 * holds events too (a name's row without events was a stream created empty: it counts as none).
 * The id saves a new stream's insert a second look-up of its name: in a store of a million
 * identifier streams that look-up is a seek into a large index of random names.
 */
interface FoundStream {
  id?: number;
  stream?: StreamRow;
}

/**
 * The write side of the SQLite store, on one connection: synchronous, so that it runs alike on
 * the caller's thread or on a writer thread. Calls handed over together share one transaction
 * (group commit: a commit costs far more than a row), each request still judged on its own,
 * in call order, as if the calls had come one after another.
 */
export class SqliteAppender {
  private readonly statements;
  private readonly inOneTransaction;
  /** Stream ids never change once committed, so they are cached. */
  private readonly streamIds = new Map<string, number>();
  /** Streams created by the transaction in progress: cached only after it commits. */
  private readonly createdStreams = new Map<string, number>();
  /** Streams created since the prerequisites' savepoint, forgotten if it is rolled back to. */
  private createdInSavepoint: string[] | undefined;
  private readonly revisions: SqliteStreamRevisions;

  constructor(private readonly db: Database.Database) {
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
      // The prefix written as the index's expression, so that the planner uses it.
      holderOfId: db
        .prepare<[{ id: string }], string>(
          `SELECT s.name FROM events e JOIN streams s ON s.id = e.stream_id
           WHERE substr(e.event_id, 1, 8) = substr(@id, 1, 8) AND e.event_id = @id`,
        )
        .pluck(),
      lastPositionOfStream: db.prepare<[number], { position: number }>(
        'SELECT MAX(position) AS position FROM events WHERE stream_id = ?',
      ),
      savepoint: db.prepare('SAVEPOINT prerequisites'),
      rollbackToSavepoint: db.prepare('ROLLBACK TO prerequisites'),
      releaseSavepoint: db.prepare('RELEASE prerequisites'),
    };
    const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.revisions = new SqliteStreamRevisions(() => dataVersion.get()!);
    // Immediate: the write lock is taken before the revisions are read, so no other
    // connection can commit between the expectedRevision check and the insert.
    this.inOneTransaction = db.transaction(
      (calls: readonly SerializedCall[], requests: readonly SerializedRequest[][]) => {
        this.revisions.begin();
        return requests.flatMap((call, c) => this.appendCall(call, calls[c].prerequisites ?? 0));
      },
    ).immediate;
  }

  write(calls: readonly SerializedCall[]): CallResult[] {
    const requests = calls.map(deserializeCall);
    const together = this.transaction(calls, requests);
    if (!('failure' in together)) {
      let from = 0;
      return requests.map((call) => {
        from += call.length;
        return { outcomes: together.outcomes.slice(from - call.length, from) };
      });
    }
    // An outage fails every call alike. Anything else came from one call's requests: the
    // others must not fail with it, so each call gets a transaction of its own.
    if (calls.length === 1 || together.failure.outage) return calls.map(() => together);
    return requests.map((call, c) => this.transaction([calls[c]], [call]));
  }

  private transaction(
    calls: readonly SerializedCall[],
    requests: readonly SerializedRequest[][],
  ): CallResult {
    this.createdStreams.clear();
    try {
      const outcomes = this.inOneTransaction(calls, requests);
      for (const [name, id] of this.createdStreams) this.streamIds.set(name, id);
      this.revisions.committedNow();
      return { outcomes };
    } catch (error) {
      return { failure: describeFailure(error, this.db.open) };
    } finally {
      // Ids and revisions of a transaction that rolled back must not be remembered.
      this.createdStreams.clear();
      this.createdInSavepoint = undefined;
      this.revisions.rolledBack();
    }
  }

  /**
   * One call's requests in order. Its prerequisites are written all or none: they are judged
   * each on its own inside a savepoint, rolled back to when any was refused (so that a link won
   * beside one that lost does not stay to steer the retry); the others only if all were written.
   */
  private appendCall(
    requests: readonly SerializedRequest[],
    prerequisites: number,
  ): WrittenOutcome[] {
    if (prerequisites === 0) return requests.map((request) => this.appendOne(request));
    const count = Math.min(prerequisites, requests.length);
    const outcomes = new Array<WrittenOutcome>(requests.length);
    const refused: string[] = [];
    // An error thrown in between rolls the whole transaction back, the savepoint with it.
    this.beginSavepoint();
    for (let i = 0; i < count; i++) {
      outcomes[i] = this.appendOne(requests[i]);
      if (!outcomes[i].ok) refused.push(requests[i].streamName);
    }
    if (refused.length === 0) {
      this.releaseSavepoint();
      for (let i = count; i < requests.length; i++) outcomes[i] = this.appendOne(requests[i]);
      return outcomes;
    }
    this.rollBackToSavepoint();
    for (let i = 0; i < requests.length; i++) {
      if (i < count && !outcomes[i].ok) continue;
      const { streamName } = requests[i];
      outcomes[i] = { ok: false, streamName, prerequisiteRefused: true, refusedStreams: refused };
    }
    return outcomes;
  }

  private beginSavepoint(): void {
    this.statements.savepoint.run();
    this.revisions.savepoint();
    this.createdInSavepoint = [];
  }

  private releaseSavepoint(): void {
    this.statements.releaseSavepoint.run();
    this.revisions.released();
    this.createdInSavepoint = undefined;
  }

  private rollBackToSavepoint(): void {
    this.statements.rollbackToSavepoint.run();
    this.statements.releaseSavepoint.run();
    this.revisions.rolledBackToSavepoint();
    for (const name of this.createdInSavepoint ?? []) this.createdStreams.delete(name);
    this.createdInSavepoint = undefined;
  }

  /**
   * The revision is known from this connection's own appends unless another connection has
   * written since (see SqliteStreamRevisions), else read inside the write transaction.
   */
  private findStream(streamName: string): FoundStream {
    let id = this.streamIds.get(streamName) ?? this.createdStreams.get(streamName);
    if (id === undefined) {
      id = this.statements.streamId.get(streamName)?.id;
      if (id === undefined) return {};
      this.streamIds.set(streamName, id);
    }
    const known = this.revisions.get(id);
    if (known !== undefined) return { id, stream: { id, revision: known } };
    const revision = this.statements.revision.get(id)?.revision;
    if (revision == null) return { id };
    this.revisions.found(id, revision);
    return { id, stream: { id, revision } };
  }

  private appendOne({ streamName, events, expectedRevision }: SerializedRequest): WrittenOutcome {
    const { id: rowId, stream } = this.findStream(streamName);
    if (stream && events.length > 0) {
      const repeat = this.idempotentRepeat(stream, events, expectedRevision);
      if (repeat) return repeat;
    }
    if (!revisionMatches(expectedRevision, stream?.revision)) {
      return {
        ok: false,
        streamName,
        expected: expectedRevision,
        actual: stream?.revision ?? 'no_stream',
      };
    }
    if (events.length === 0) {
      const last = stream ? this.statements.lastPositionOfStream.get(stream.id)?.position : null;
      return { ok: true, revision: stream?.revision ?? -1, position: last ?? -1 };
    }

    const taken = this.takenIds(streamName, events);
    if (taken) return { ok: false, streamName, taken };

    const streamId = rowId ?? this.createStream(streamName);
    const recordedAt = Date.now();
    let revision = stream ? stream.revision : -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      position = Number(
        this.statements.insertEvent.run(
          streamId,
          revision,
          event.id,
          event.type,
          event.data,
          event.metadata,
          recordedAt,
        ).lastInsertRowid,
      );
    }
    this.revisions.written(streamId, revision);
    return { ok: true, revision, position };
  }

  /**
   * The events' ids that are stored already, each with the stream holding it: another stream,
   * or this one at another place than an idempotent repeat (which was acknowledged before).
   * One seek in events_by_event_id_prefix an event; an id repeated within the request counts
   * as taken by the request's own stream.
   */
  private takenIds(
    streamName: string,
    events: readonly SerializedEvent[],
  ): TakenEventId[] | undefined {
    let taken: TakenEventId[] | undefined;
    const seen = events.length > 1 ? new Set<string>() : undefined;
    for (const { id } of events) {
      const holder =
        this.statements.holderOfId.get({ id }) ?? (seen?.has(id) ? streamName : undefined);
      if (holder !== undefined) (taken ??= []).push({ eventId: id, streamName: holder });
      seen?.add(id);
    }
    return taken;
  }

  /**
   * Inside the append transaction, for a name findStream has just looked for in vain (in the
   * same transaction: no one else can have added it): remembered for good only once the
   * transaction commits.
   */
  private createStream(streamName: string): number {
    const id = Number(this.statements.insertStream.run(streamName).lastInsertRowid);
    this.createdStreams.set(streamName, id);
    this.createdInSavepoint?.push(streamName);
    return id;
  }

  /**
   * EventStoreDB's idempotence: the same event ids appended again (after the same expected
   * revision, or with `any`/`stream_exists`) are acknowledged without being written twice.
   */
  private idempotentRepeat(
    stream: StreamRow,
    events: readonly SerializedEvent[],
    expected: ExpectedRevision,
  ): WrittenOutcome | undefined {
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
      ok: true,
      revision: from + events.length - 1,
      position: existing[existing.length - 1].position,
    };
  }
}

function revisionMatches(expected: ExpectedRevision, current: number | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === undefined;
  if (expected === 'stream_exists') return current !== undefined;
  return current !== undefined && BigInt(current) === expected;
}

/** SQLite failures (locked, read-only, disk full, I/O) and a closed file are outages. */
function describeFailure(error: unknown, open: boolean): WriterFailure {
  const { name, message, code } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
  };
  const cause = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
  return {
    outage: isSqliteError(error) || !open,
    message: isSqliteError(error) || !open ? 'SQLite event store: append failed' : cause.message,
    cause,
  };
}

/**
 * better-sqlite3 hands its error class to the native addon once per process, so where a
 * second copy of the module is loaded (Jest's registry per test file, a nested install) the
 * errors thrown are not `instanceof` this copy's SqliteError: the SQLite result code decides.
 */
export function isSqliteError(error: unknown): boolean {
  // Not `instanceof Error` either: that copy's class may extend another realm's Error.
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && code.startsWith('SQLITE_');
}
