import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite.event-store';

const event = (id: string) => ({
  id,
  type: 'WebVisitRecorded',
  data: { n: id },
  metadata: { source: 'spec' },
});

describe('SQLite event store opened read-only (a rebuild worker connection)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-sqlite-ro-'));
    path = join(dir, 'events.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when another connection writes the file', () => {
    it('reads what was appended, with the same identity, and refuses to append', async () => {
      const writer = new SqliteEventStore({ path });
      await writer.append('customer-C-1', [event('a1b2c3d4-0000-4000-8000-000000000001')], {
        expectedRevision: 'no_stream',
      });
      const reader = new SqliteEventStore({ path, readOnly: true });
      try {
        expect(await reader.identity()).toBe(await writer.identity());
        await writer.append('customer-C-2', [event('a1b2c3d4-0000-4000-8000-000000000002')], {
          expectedRevision: 'no_stream',
        });
        expect((await reader.readAll()).map((e) => e.streamName)).toEqual([
          'customer-C-1',
          'customer-C-2',
        ]);
        await expect(
          reader.append('customer-C-3', [event('a1b2c3d4-0000-4000-8000-000000000003')], {
            expectedRevision: 'no_stream',
          }),
        ).rejects.toThrow();
        expect(await writer.headPosition()).toBe(await reader.headPosition());
      } finally {
        await reader.close();
        await writer.close();
      }
    });
  });

  describe('when the file does not exist', () => {
    it('fails instead of creating an empty store', () => {
      expect(() => new SqliteEventStore({ path, readOnly: true })).toThrow();
      expect(existsSync(path)).toBe(false);
    });
  });
});
