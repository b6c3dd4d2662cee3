import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newEvent } from '../testing';
import { SqliteEventStore } from './sqlite.event-store';

const PAGE = 4096;
/** A WAL frame: a 24-byte header and the page. */
const FRAME = 24 + PAGE;

describe.each(['inline', 'thread'] as const)('SqliteEventStore writing, writer %s', (writer) => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-write-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when a stream has a row but no events (a stream created empty)', () => {
    it('appends to that row: the name is not inserted a second time', async () => {
      const path = join(dir, 'events.db');
      await new SqliteEventStore({ path }).close();
      const db = new Database(path);
      db.prepare("INSERT INTO streams (name) VALUES ('customer-empty')").run();
      db.close();

      const store = new SqliteEventStore({ path, writer });
      try {
        const event = newEvent();
        const result = await store.append('customer-empty', [event], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(0n);
        expect((await store.readStream('customer-empty')).map((e) => e.id)).toEqual([event.id]);
      } finally {
        await store.close();
      }
      const reopened = new Database(path, { readonly: true });
      const rows = reopened.prepare(
        "SELECT count(*) AS n FROM streams WHERE name = 'customer-empty'",
      );
      expect(rows.get()).toEqual({ n: 1 });
      reopened.close();
    });
  });

  describe('when commits fill more of the WAL than SQLite checkpoints after by default', () => {
    it('lets the WAL gather them (checkpoints copy each page once for many commits)', async () => {
      const path = join(dir, 'events.db');
      const store = new SqliteEventStore({ path, writer });
      // About a page an event: three commits of ~600 pages. At SQLite's default (1,000 pages)
      // the second commit checkpoints and the third writes the WAL from its start again.
      const filler = 'x'.repeat(3_500);
      try {
        for (let commit = 0; commit < 3; commit++) {
          const events = Array.from({ length: 600 }, () => newEvent('Tested', { filler }));
          await store.append(`customer-${commit}`, events, { expectedRevision: 'no_stream' });
        }
        expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_600 * FRAME);
      } finally {
        await store.close();
      }
    });
  });
});
