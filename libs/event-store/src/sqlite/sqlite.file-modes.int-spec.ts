import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { newEvent, uniqueStream } from '../testing';
import { SqliteEventStore } from './sqlite.event-store';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe.each(['inline', 'thread'] as const)(
  'the SQLite event store files are the owner’s alone, writer %s',
  (writer) => {
    let parent: string;
    beforeEach(() => {
      parent = mkdtempSync(join(tmpdir(), 'rapport-sqlite-modes-'));
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    });
    afterEach(() => {
      jest.restoreAllMocks();
      rmSync(parent, { recursive: true, force: true });
    });

    it('creates the data directory 0700 and events.db, its WAL and shared memory 0600', async () => {
      const dir = join(parent, 'data');
      const path = join(dir, 'events.db');
      const store = new SqliteEventStore({ path, writer });
      try {
        await store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
        expect(existsSync(`${path}-wal`)).toBe(true);
        expect({
          dir: modeOf(dir),
          db: modeOf(path),
          wal: modeOf(`${path}-wal`),
          shm: modeOf(`${path}-shm`),
        }).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
      } finally {
        await store.close();
      }
    });

    it('tightens files it finds open to others, and warns about an open directory', async () => {
      const path = join(parent, 'events.db');
      chmodSync(parent, 0o755);
      writeFileSync(path, '');
      chmodSync(path, 0o644);
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const store = new SqliteEventStore({ path, writer });
      try {
        await store.append(uniqueStream(), [newEvent()], { expectedRevision: 'no_stream' });
        expect(modeOf(path)).toBe(0o600);
        expect(modeOf(`${path}-wal`)).toBe(0o600);
        expect(modeOf(parent)).toBe(0o755);
        expect(warn).toHaveBeenCalledWith(
          expect.stringContaining(`${path} was open to other accounts (mode 644): now 600`),
        );
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(`chmod 700 ${parent}`));
      } finally {
        await store.close();
      }
    });
  },
);
