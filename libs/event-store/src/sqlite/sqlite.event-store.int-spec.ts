import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract, newEvent } from '../testing';
import { SqliteEventStore } from './sqlite.event-store';

describe.each(['inline', 'thread'] as const)(
  'SqliteEventStore (better-sqlite3, WAL), writer %s',
  (writer) => {
    describeEventStoreContract(() => {
      const dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-contract-'));
      let n = 0;
      return {
        factory: async () =>
          new SqliteEventStore({ path: join(dir, `events-${n++}.db`), pollIntervalMs: 20, writer }),
        teardown: async () => rmSync(dir, { recursive: true, force: true }),
      };
    });
  },
);

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
