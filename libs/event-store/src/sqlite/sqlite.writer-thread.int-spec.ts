import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '../event-store.errors';
import { newEvent, uniqueStream } from '../testing';
import { SqliteEventStore } from './sqlite.event-store';
import { serializeCall, type SerializedCall } from './sqlite.serialized-appends';
import { SqliteWriterThread } from './sqlite.writer-thread';

describe('SqliteEventStore with a writer thread', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-thread-'));
    path = join(dir, 'events.db');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the event loop turning while an append waits for another connection', async () => {
    const store = new SqliteEventStore({ path, busyTimeoutMs: 5_000, writer: 'thread' });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const stream = uniqueStream();
      let settled = false;
      const appending = store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      void appending.finally(() => (settled = true)).catch(() => undefined);
      // A timer set after the append fires while it still waits for the lock: the wait does not
      // hold this thread. (Inline, the append would block here until the busy timeout and fail.)
      const turnedWhileWaiting = await new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(!settled), 10),
      );
      other.exec('ROLLBACK');
      await expect(appending).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect(turnedWhileWaiting).toBe(true);
      expect(await store.readStream(stream)).toHaveLength(1);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('judges writes handed over before the last one was answered after it, in order', async () => {
    const store = new SqliteEventStore({ path, writer: 'thread' });
    try {
      const stream = uniqueStream();
      const first = store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      await new Promise((resolve) => setImmediate(resolve)); // the first is on its way
      const second = store.append(stream, [newEvent()], { expectedRevision: 0n });
      await new Promise((resolve) => setImmediate(resolve));
      const third = store.append(stream, [newEvent()], { expectedRevision: 1n });
      const results = await Promise.all([first, second, third]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 1n, 2n]);
      expect(results[0].position < results[1].position).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('writes the small calls of a turn that find it idle in one transaction', async () => {
    const store = new SqliteEventStore({ path, writer: 'thread' });
    try {
      await store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
      const other = new Database(path);
      other.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'Poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
      );
      other.close();
      const first = store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
      // Still the same turn: a thread handed the first call at once would have written it
      // alone by now, and so would one that woke between the two calls' messages.
      const busyUntil = Date.now() + 100;
      while (Date.now() < busyUntil);
      const poisoned = store.append(uniqueStream(), [{ ...newEvent(), type: 'Poison' }], {
        expectedRevision: 'no_stream',
      });
      const results = await Promise.allSettled([first, poisoned]);
      // Only a transaction shared with the poisoned insert rolls the first call back.
      for (const result of results) {
        expect(result.status === 'rejected' && result.reason).toBeInstanceOf(
          EventStoreUnavailableError,
        );
      }
    } finally {
      await store.close();
    }
  });

  it('writes the calls that came while it was writing in one transaction', async () => {
    const store = new SqliteEventStore({ path, busyTimeoutMs: 5_000, writer: 'thread' });
    const other = new Database(path);
    try {
      await store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
      other.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'Poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
      );
      other.exec('BEGIN IMMEDIATE');
      const first = store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
      await new Promise((resolve) => setTimeout(resolve, 200)); // the thread waits for the lock
      const second = store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
      const poisoned = store.append(uniqueStream(), [{ ...newEvent(), type: 'Poison' }], {
        expectedRevision: 'no_stream',
      });
      other.exec('ROLLBACK');
      await expect(first).resolves.toMatchObject({ nextExpectedRevision: 0n });
      // Only a transaction shared with the poisoned insert rolls the second call back.
      await expect(second).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(poisoned).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('writes what was handed over before close, then refuses appends as an outage', async () => {
    const store = new SqliteEventStore({ path, writer: 'thread' });
    const stream = uniqueStream();
    const appending = store.append(stream, [newEvent(), newEvent()], {
      expectedRevision: 'no_stream',
    });
    await store.close();
    await expect(appending).resolves.toMatchObject({ nextExpectedRevision: 1n });
    await expect(
      store.append(stream, [newEvent()], { expectedRevision: 1n }),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);

    const reopened = new SqliteEventStore({ path });
    try {
      expect(await reopened.readStream(stream)).toHaveLength(2);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a writer thread for an in-memory store, which another connection cannot see', () => {
    expect(() => new SqliteEventStore({ path: ':memory:', writer: 'thread' })).toThrow(/in-memory/);
  });

  describe('when the thread dies', () => {
    it('fails the write in flight as an outage and writes the next on a new thread', async () => {
      await new SqliteEventStore({ path }).close(); // the schema
      const writer = new SqliteWriterThread({ path, busyTimeoutMs: 50 });
      try {
        // Not a call the store would ever send: the thread throws on it (no array can have
        // that many events) and ends.
        const broken: SerializedCall = { requests: ['s-1', 'any', 2 ** 32], metadata: [] };
        await expect(writer.write(broken)).rejects.toBeInstanceOf(EventStoreUnavailableError);
        const call = serializeCall([
          { streamName: uniqueStream(), events: [newEvent()], expectedRevision: 'no_stream' },
        ]);
        await expect(writer.write(call)).resolves.toEqual({
          outcomes: [{ ok: true, revision: 0, position: 1 }],
        });
      } finally {
        await writer.close();
      }
      // Two threads start, each compiling the writer under Jest first: slow on a loaded machine.
    }, 120_000);
  });

  it('does not keep an idle process from exiting', async () => {
    const script = `
      const { SqliteEventStore } = require(${JSON.stringify(join(__dirname, 'sqlite.event-store.ts'))});
      const store = new SqliteEventStore({ path: ${JSON.stringify(path)}, writer: 'thread' });
      store.append('s-1', [{ id: '2f1d3a52-7f0e-4b52-9d7e-0b4c2a0c9e11', type: 'T', data: {}, metadata: {} }],
        { expectedRevision: 'no_stream' }).then(() => console.log('appended'));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { timeout: 60_000 },
    );
    expect(stdout.trim()).toBe('appended');
  }, 90_000);
});
