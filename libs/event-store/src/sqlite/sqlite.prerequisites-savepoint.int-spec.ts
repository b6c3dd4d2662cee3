import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrerequisiteRefusedError, WrongExpectedRevisionError } from '../event-store.errors';
import { newEvent, uniqueStream } from '../testing';
import { SqliteEventStore } from './sqlite.event-store';

describe.each(['inline', 'thread'] as const)(
  'SqliteEventStore prerequisites rolled back inside a group commit, writer %s',
  (writer) => {
    let dir: string;
    let store: SqliteEventStore;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-savepoint-'));
      store = new SqliteEventStore({ path: join(dir, 'events.db'), writer });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('goes back to the revisions and streams of the calls before it, not further', async () => {
      const [earlier, created, taken] = [uniqueStream(), uniqueStream(), uniqueStream()];
      await store.append(taken, [newEvent()], { expectedRevision: 'no_stream' });
      // Handed over together: one transaction, the second call's savepoint inside it.
      const [first, refused, after] = await Promise.all([
        store.appendMany([
          { streamName: earlier, events: [newEvent()], expectedRevision: 'no_stream' },
        ]),
        store.appendMany(
          [
            { streamName: earlier, events: [newEvent()], expectedRevision: 0n },
            { streamName: created, events: [newEvent()], expectedRevision: 'no_stream' },
            { streamName: taken, events: [newEvent()], expectedRevision: 'no_stream' },
          ],
          { prerequisites: 3 },
        ),
        store.appendMany([
          { streamName: earlier, events: [newEvent()], expectedRevision: 0n },
          { streamName: created, events: [newEvent()], expectedRevision: 'no_stream' },
        ]),
      ]);
      expect(first.map((o) => o.ok)).toEqual([true]);
      expect(refused.map((o) => (o.ok ? 'ok' : o.error.constructor))).toEqual([
        PrerequisiteRefusedError,
        PrerequisiteRefusedError,
        WrongExpectedRevisionError,
      ]);
      expect(after.map((o) => o.ok && o.result.nextExpectedRevision)).toEqual([1n, 0n]);
      expect(await store.readStream(earlier)).toHaveLength(2);
      expect(await store.readStream(created)).toHaveLength(1);
      const positions = (await store.readAll()).map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    });
  },
);
