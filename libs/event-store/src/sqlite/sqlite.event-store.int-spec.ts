import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing';
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
