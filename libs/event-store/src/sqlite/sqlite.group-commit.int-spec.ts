import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import type { NewEvent } from '../event-store.port';
import { newEvent, uniqueStream } from '../testing';
import { SqliteEventStore } from './sqlite.event-store';

/** JSON.stringify throws on a bigint: an event no transaction can write. */
function unserialisable(): NewEvent {
  return { ...newEvent(), data: { minor: 1n } };
}

/** better-sqlite3 refuses to bind an object: an error of this call's own, not an outage. */
function unbindable(): NewEvent {
  return { ...newEvent(), id: {} as unknown as string };
}

/** Makes SQLite abort (SQLITE_CONSTRAINT_TRIGGER) any insert of an event of type Poison. */
function poisonTrigger(path: string): void {
  const other = new Database(path);
  other.exec(
    "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'Poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
  );
  other.close();
}

describe.each(['inline', 'thread'] as const)(
  'SqliteEventStore group commit and remembered revisions, writer %s',
  (writer) => {
    let dir: string;
    let path: string;
    let store: SqliteEventStore;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-group-'));
      path = join(dir, 'events.db');
      store = new SqliteEventStore({ path, busyTimeoutMs: 50, writer });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    describe('when appendMany is called again before the first call committed', () => {
      it('judges every request in call order, as if the calls had come one after another', async () => {
        const a = uniqueStream();
        const b = uniqueStream();
        const [first, second] = await Promise.all([
          store.appendMany([
            { streamName: a, events: [newEvent()], expectedRevision: 'no_stream' },
            { streamName: b, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
          store.appendMany([
            { streamName: a, events: [newEvent()], expectedRevision: 0n },
            { streamName: b, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
        ]);
        expect(first.map((o) => o.ok)).toEqual([true, true]);
        expect(second.map((o) => o.ok)).toEqual([true, false]);
        expect(!second[1].ok && second[1].error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(1);
      });

      it.each([
        ['cannot be serialised (before it is handed over)', unserialisable, TypeError],
        // The id's look-up among all events' ids is the first statement to bind it.
        ['SQLite cannot bind (inside the transaction)', unbindable, TypeError],
      ])('fails only the call whose event %s; the others commit', async (_, broken, kind) => {
        const good = uniqueStream();
        const bad = uniqueStream();
        const [committed, failed] = await Promise.allSettled([
          store.appendMany([
            { streamName: good, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
          store.appendMany([
            { streamName: bad, events: [newEvent()], expectedRevision: 'no_stream' },
            { streamName: bad, events: [broken()], expectedRevision: 0n },
          ]),
        ]);
        expect(committed.status).toBe('fulfilled');
        const reason = failed.status === 'rejected' ? (failed.reason as Error) : undefined;
        expect(reason).toBeInstanceOf(Error);
        expect(reason).not.toBeInstanceOf(EventStoreUnavailableError);
        // Thrown in the caller's turn, or described across the thread boundary as the cause.
        const original = reason instanceof kind ? reason : (reason?.cause as Error | undefined);
        expect(original?.name).toBe(kind.name);
        expect(await store.readStream(good)).toHaveLength(1);
        expect(await store.readStream(bad)).toHaveLength(0);
      });

      it('fails every call of the group and writes nothing while the store is locked', async () => {
        const other = new Database(path);
        other.exec('BEGIN IMMEDIATE');
        try {
          const streams = [uniqueStream(), uniqueStream()];
          const results = await Promise.allSettled(
            streams.map((streamName) =>
              store.appendMany([
                { streamName, events: [newEvent()], expectedRevision: 'no_stream' },
              ]),
            ),
          );
          for (const result of results) {
            expect(result.status).toBe('rejected');
            expect(result.status === 'rejected' && result.reason).toBeInstanceOf(
              EventStoreUnavailableError,
            );
          }
          other.exec('ROLLBACK');
          for (const stream of streams) expect(await store.readStream(stream)).toHaveLength(0);
        } finally {
          other.close();
        }
      });
    });

    describe('when events share a metadata object', () => {
      it('writes it as it is at each append, even when the caller changed it in between', async () => {
        const metadata: Record<string, unknown> = { step: 1 };
        const stream = uniqueStream();
        await store.append(
          stream,
          [
            { ...newEvent(), metadata },
            { ...newEvent(), metadata },
          ],
          {
            expectedRevision: 'no_stream',
          },
        );
        metadata.step = 2;
        await store.append(stream, [{ ...newEvent(), metadata }], { expectedRevision: 1n });
        const stored = await store.readStream(stream);
        expect(stored.map((event) => event.metadata.step)).toEqual([1, 1, 2]);
      });
    });

    describe('when a transaction rolls back', () => {
      it('forgets the revisions it wrote', async () => {
        poisonTrigger(path);
        const stream = uniqueStream();
        await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
        await expect(
          store.appendMany([
            { streamName: stream, events: [newEvent()], expectedRevision: 0n },
            {
              streamName: uniqueStream(),
              events: [{ ...newEvent(), type: 'Poison' }],
              expectedRevision: 'any',
            },
          ]),
        ).rejects.toBeInstanceOf(EventStoreUnavailableError);
        const retried = await store.append(stream, [newEvent()], { expectedRevision: 0n });
        expect(retried.nextExpectedRevision).toBe(1n);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('when another connection appends to a stream this one wrote', () => {
      it('sees the new revision instead of the one it remembers', async () => {
        const stream = uniqueStream();
        await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
        const other = new SqliteEventStore({ path });
        try {
          await other.append(stream, [newEvent()], { expectedRevision: 0n });
        } finally {
          await other.close();
        }
        await expect(
          store.append(stream, [newEvent()], { expectedRevision: 0n }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        const next = await store.append(stream, [newEvent()], { expectedRevision: 1n });
        expect(next.nextExpectedRevision).toBe(2n);
      });
    });
  },
);
