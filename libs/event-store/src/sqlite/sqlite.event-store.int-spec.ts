import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing';
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
