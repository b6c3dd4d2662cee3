import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeEventStoreContract, newEvent } from '../testing';
import type { EventStore } from '../event-store.port';
import { SqliteEventStore } from './sqlite.event-store';

describe.each(['inline', 'thread'] as const)(
  'SqliteEventStore (better-sqlite3, WAL), writer %s',
  (writer) => {
    describeEventStoreContract(() => {
      const dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-contract-'));
      let n = 0;
      const paths = new WeakMap<EventStore, string>();
      const open = (path: string) => {
        const store = new SqliteEventStore({ path, pollIntervalMs: 20, writer });
        paths.set(store, path);
        return store;
      };
      return {
        factory: async () => open(join(dir, `events-${n++}.db`)),
        reopen: async (closed) => open(paths.get(closed)!),
        teardown: async () => rmSync(dir, { recursive: true, force: true }),
      };
    });
  },
);

describe('SqliteEventStore opening a file of layout 2 (event ids unique per stream only)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-layout-2-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A file as the previous layout wrote it: no index on event ids, user_version 2. */
  function layout2(path: string, rows: readonly [stream: string, eventId: string][]): void {
    const db = new Database(path);
    db.exec(`CREATE TABLE streams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL,
        revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
        metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL, UNIQUE (stream_id, revision));`);
    const streamIds = new Map<string, number>();
    for (const [stream, eventId] of rows) {
      if (!streamIds.has(stream)) {
        const id = db.prepare('INSERT INTO streams (name) VALUES (?)').run(stream);
        streamIds.set(stream, Number(id.lastInsertRowid));
      }
      const streamId = streamIds.get(stream)!;
      db.prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
         VALUES (?, (SELECT COUNT(*) FROM events WHERE stream_id = ?), ?, 'Tested', '{}', '{}', 0)`,
      ).run(streamId, streamId, eventId);
    }
    db.pragma('user_version = 2');
    db.close();
  }

  it('adds the look-up of event ids and refuses an id of another stream from then on', async () => {
    const path = join(dir, 'events.db');
    const shared = randomUUID();
    layout2(path, [['customer-A', shared]]);
    const store = new SqliteEventStore({ path });
    try {
      await expect(
        store.append('customer-B', [{ ...newEvent(), id: shared }], {
          expectedRevision: 'no_stream',
        }),
      ).rejects.toMatchObject({
        code: 'EVENT_ID_TAKEN',
        taken: [{ eventId: shared, streamName: 'customer-A' }],
      });
      expect(await store.readAll()).toHaveLength(1);
    } finally {
      await store.close();
    }
    const reopened = new Database(path);
    expect(reopened.pragma('user_version', { simple: true })).toBe(3);
    reopened.close();
  });

  it('does not open a file that holds an event id in two streams, and names them', () => {
    const path = join(dir, 'events.db');
    const shared = randomUUID();
    layout2(path, [
      ['customer-A', shared],
      ['customer-B', shared],
      ['customer-B', randomUUID()],
    ]);
    expect(() => new SqliteEventStore({ path })).toThrow(
      `the SQLite event store holds event ids more than once, which this build refuses: ${shared} in customer-A, customer-B`,
    );
  });
});

describe('SqliteEventStore identity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-identity-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is kept in the file: the same after reopening and in a copy, another for a new file', async () => {
    const path = join(dir, 'events.db');
    const store = new SqliteEventStore({ path });
    const id = await store.identity();
    await store.append('customer-C-1', [newEvent()], { expectedRevision: 'no_stream' });
    await store.close();
    copyFileSync(path, join(dir, 'backup.db'));

    const reopened = new SqliteEventStore({ path });
    const backup = new SqliteEventStore({ path: join(dir, 'backup.db') });
    const other = new SqliteEventStore({ path: join(dir, 'other.db') });
    try {
      expect(await reopened.identity()).toBe(id);
      expect(await backup.identity()).toBe(id);
      expect(await other.identity()).not.toBe(id);
    } finally {
      await Promise.all([reopened.close(), backup.close(), other.close()]);
    }
  });
});
