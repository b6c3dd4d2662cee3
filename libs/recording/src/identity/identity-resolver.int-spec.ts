import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore, SqliteEventStore } from '@rapport/event-store';
import { EventStoreDbStandIn } from '@rapport/test-support';
import { describeIdentityResolution } from '../testing';

describe('identity resolution on SQLite', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'identity-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describeIdentityResolution({
    factory: async () => {
      const path = join(dir, 'events.db');
      return {
        store: new SqliteEventStore({ path }),
        again: async () => new SqliteEventStore({ path }),
      };
    },
  });
});

describe('identity resolution on EventStoreDB (gRPC stand-in)', () => {
  let server: EventStoreDbStandIn;
  beforeEach(async () => {
    server = await EventStoreDbStandIn.start({ host: '127.0.0.1', port: 0 });
  }, 60_000);
  afterEach(async () => server.stop());

  describeIdentityResolution({
    factory: async () => {
      const open = async () =>
        new EventStoreDbEventStore({ connectionString: server.connectionString });
      return { store: await open(), again: open };
    },
    writesStreamsApart: true,
  });
});
