import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '@rapport/config';
import { createEventStore } from './event-store.module';
import { newEvent, uniqueStream } from './testing';

jest.mock('node:worker_threads', () => {
  const actual = jest.requireActual<typeof import('node:worker_threads')>('node:worker_threads');
  return {
    ...actual,
    Worker: jest.fn(
      (...args: ConstructorParameters<typeof actual.Worker>) => new actual.Worker(...args),
    ),
  };
});

describe('createEventStore on SQLite with SQLITE_WRITER=thread', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-event-store-use-'));
    jest.mocked(Worker).mockClear();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = () => loadConfig({ DATA_DIR: dir, SQLITE_WRITER: 'thread' });

  it('starts no writer thread for a service that only reads, and still appends if asked', async () => {
    const store = createEventStore(config(), { appends: false });
    try {
      const stream = uniqueStream();
      await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      expect(await store.readStream(stream)).toHaveLength(1);
      expect(Worker).not.toHaveBeenCalled();
    } finally {
      await store.close();
    }
  });

  it('starts the writer thread for a service that appends', async () => {
    const store = createEventStore(config(), { appends: true });
    try {
      const stream = uniqueStream();
      await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      expect(Worker).toHaveBeenCalledTimes(1);
    } finally {
      await store.close();
    }
  });
});
