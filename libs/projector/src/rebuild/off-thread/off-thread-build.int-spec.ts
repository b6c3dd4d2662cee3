import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { customerIdFromStream } from '@rapport/domain';
import { SqliteEventStore, type EventStore, type EventStoreSettings } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
import { CachingKeyStore, EncryptingEventStore, SqliteKeyStore } from '@rapport/privacy';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore, ViewGenerations, type StoredRecord } from '@rapport/read-store';
import { appendDecidedHistory, demoTouchpoints } from '@rapport/test-support';
import { Projector } from '../../projector';
import { ProjectionRebuild, type RebuildOptions } from '../projection-rebuild';
import { RebuildInterruptedError } from '../rebuild.errors';

const VIEW = customerViewProjection as Projection<unknown>;
const NAME = VIEW.name;
const END = '2026-11-27T00:00:00.000Z';

const appendHistory = (store: EventStore, customers: number, seed: number, prefix = '') =>
  appendDecidedHistory(store, demoTouchpoints({ customers, seed, endAt: END, prefix }), END);

async function everything(store: MemoryReadStore, collection: string) {
  return [...(await store.list(collection, { limit: 1_000_000 })).records];
}

/** A clean replay on this thread: what the worker's generation must equal, record for record. */
async function expectedViews(events: EventStore): Promise<StoredRecord<unknown>[]> {
  const scratch = new MemoryReadStore();
  const projector = new Projector(events, scratch, [VIEW], {
    name: 'expected',
    batchSize: 100_000,
    maxBatchDelayMs: 0,
  });
  await projector.applyBatch(await events.readAll());
  return everything(scratch, NAME);
}

// A worker started under ts-node compiles its sources first: seconds on a busy machine.
jest.setTimeout(120_000);

describe('Rebuild folded on a worker thread (SQLite file, memory read store)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let settings: EventStoreSettings;
  let readStore: MemoryReadStore;
  let generations: ViewGenerations;
  let live: Projector;
  /** Events this thread's readAll handed out during a rebuild. */
  let readHere: number;
  let counted: EventStore;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-off-thread-'));
    const path = join(dir, 'events.sqlite');
    settings = { kind: 'sqlite', path, busyTimeoutMs: 5_000, writer: 'inline' };
    events = new SqliteEventStore({ path, pollIntervalMs: 5 });
    await appendHistory(events, 60, 5);
    readStore = new MemoryReadStore();
    generations = new ViewGenerations(readStore, { cacheMs: 50 });
    live = new Projector(events, readStore, [VIEW], {
      name: 'projector',
      batchSize: 500,
      maxBatchDelayMs: 2,
      generations,
    });
    await live.start();
    expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);
    readHere = 0;
    counted = new Proxy(events, {
      get(store, property) {
        if (property === 'readAll')
          return async (...args: Parameters<EventStore['readAll']>) => {
            const read = await store.readAll(...args);
            readHere += read.length;
            return read;
          };
        const value = Reflect.get(store, property, store) as unknown;
        return typeof value === 'function' ? value.bind(store) : value;
      },
    });
  });
  afterEach(async () => {
    await live.stop();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rebuild = (options: Partial<RebuildOptions> = {}) =>
    new ProjectionRebuild(counted, readStore, generations, {
      projection: VIEW,
      mode: 'replay',
      batchSize: 400,
      graceMs: 50,
      offThread: { eventStore: settings },
      live,
      ...options,
    });

  describe('when it replays the whole history', () => {
    it('switches to a generation equal to a clean replay, with no event read on this thread', async () => {
      const done = await rebuild().run();
      expect(done).toMatchObject({ state: 'done', generation: 1 });
      expect(done.eventsApplied).toBe((await events.readAll()).length);
      expect(done.eventsPerSecond).toBeGreaterThan(0);
      expect(readHere).toBe(0);
      expect(await everything(readStore, `${NAME}@g1`)).toEqual(await expectedViews(events));
    });
  });

  describe('when the read store takes records as text', () => {
    it('holds the generation the worker built as its text: no object of it on this thread', async () => {
      const before = readStore.heldRecords();
      expect(before).toEqual({ objects: 60, text: 0 });
      const done = await rebuild().run();
      expect(done.state).toBe('done');
      // The live generation (objects) is dropped after the switch; the new one is all text.
      expect(readStore.heldRecords()).toEqual({ objects: 0, text: 60 });
      expect(await everything(readStore, `${NAME}@g1`)).toEqual(await expectedViews(events));
    });
  });

  describe('when the read store takes objects only', () => {
    it('hands them over as objects and ends equal to a clean replay', async () => {
      const objectsOnly = new Proxy(readStore, {
        get(store, property) {
          if (property === 'encoded') return undefined;
          const value = Reflect.get(store, property, store) as unknown;
          return typeof value === 'function' ? value.bind(store) : value;
        },
      });
      const done = await new ProjectionRebuild(counted, objectsOnly, generations, {
        projection: VIEW,
        mode: 'replay',
        batchSize: 400,
        graceMs: 50,
        offThread: { eventStore: settings },
        live,
      }).run();
      expect(done.state).toBe('done');
      expect(readStore.heldRecords()).toEqual({ objects: 60, text: 0 });
      expect(await everything(readStore, `${NAME}@g1`)).toEqual(await expectedViews(events));
    });
  });

  describe('when events arrive after the worker reached the head', () => {
    it('applies them here between two live batches, and the new generation misses none', async () => {
      let late: Promise<void> | undefined;
      const done = await rebuild({
        onProgress: (progress) => {
          if (progress.state === 'switching' && !late) late = appendHistory(events, 3, 77, 'late-');
        },
      }).run();
      expect(done.state).toBe('done');
      // All of it appended before the store closes after the test (a later test saw it closed).
      await late;
      expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);
      expect(await everything(readStore, `${NAME}@g1`)).toEqual(await expectedViews(events));
    });
  });

  describe('when profiles were merged mid-stream and one merge undone', () => {
    it('routes as the live projector did: the new generation equals the live one, record for record', async () => {
      const customers = [
        ...new Set((await events.readAll()).map((e) => customerIdFromStream(e.streamName))),
      ].sort() as string[];
      const graph = async (event: { type: string; data: object }) =>
        events.append(
          IDENTITY_GRAPH_STREAM,
          [{ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: {} }],
          { expectedRevision: 'any' },
        );
      await graph(merged('m-1', customers[0], customers[1]));
      await graph(merged('m-2', customers[2], customers[3]));
      await appendHistory(events, 3, 78, 'late-');
      await graph(undone('m-2'));
      await graph(merged('m-3', customers[1], customers[4]));
      expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);
      const liveView = await everything(readStore, NAME);
      expect(liveView.map((r) => r.key)).not.toContain(customers[1]);

      const done = await rebuild().run();
      expect(done.state).toBe('done');
      expect(await everything(readStore, `${NAME}@g1`)).toEqual(liveView);
      expect(liveView).toEqual(await expectedViews(events));
    });
  });

  describe('when it is interrupted and run again', () => {
    it('resumes on the worker from the build checkpoint and ends equal to a clean replay', async () => {
      const abort = new AbortController();
      const first = rebuild({
        signal: abort.signal,
        onProgress: (progress) => {
          if (progress.eventsApplied >= 800) abort.abort();
        },
      });
      await expect(first.run()).rejects.toBeInstanceOf(RebuildInterruptedError);
      expect(await generations.building(NAME)).toBe(1);
      const interruptedAt = first.status().eventsApplied;

      const second = await rebuild().run();
      expect(second).toMatchObject({ state: 'done', resumed: true, generation: 1 });
      const total = (await events.readAll()).length;
      expect(second.eventsApplied).toBeLessThan(total);
      expect(second.eventsApplied + interruptedAt).toBe(total);
      expect(await everything(readStore, `${NAME}@g1`)).toEqual(await expectedViews(events));
    });
  });

  describe('when it is a dry run', () => {
    it('compares every view with the live one and finds no difference', async () => {
      const done = await rebuild({ mode: 'dry-run' }).run();
      expect(done.comparison).toMatchObject({ compared: 60, differing: 0 });
      expect(readHere).toBe(0);
      expect(await generations.active(NAME)).toBe(0);
    });
  });

  describe('when the event store cannot be opened on the worker', () => {
    it('fails with the reason and leaves the live generation in place', async () => {
      const missing: EventStoreSettings = {
        ...settings,
        path: join(dir, 'none.sqlite'),
      } as EventStoreSettings;
      const failing = rebuild({ offThread: { eventStore: missing } });
      await expect(failing.run()).rejects.toThrow(/rebuild worker failed/);
      expect(failing.status()).toMatchObject({ state: 'failed' });
      expect(await generations.active(NAME)).toBe(0);
    });
  });
});

describe('Rebuild folded on a worker thread over a store whose personal fields are sealed', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: CachingKeyStore;
  let sealed: EventStore;
  let settings: EventStoreSettings;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-off-thread-sealed-'));
    const path = join(dir, 'events.sqlite');
    settings = { kind: 'sqlite', path, busyTimeoutMs: 5_000, writer: 'inline' };
    raw = new SqliteEventStore({ path, pollIntervalMs: 5 });
    keys = new CachingKeyStore(new SqliteKeyStore(join(dir, 'keys.sqlite')));
    sealed = new EncryptingEventStore(raw, keys);
    await appendHistory(sealed, 30, 9);
  });
  afterEach(async () => {
    await raw.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the fields with the customers keys, as the live projector reads them', async () => {
    const readStore = new MemoryReadStore();
    const generations = new ViewGenerations(readStore, { cacheMs: 50 });
    const done = await new ProjectionRebuild(sealed, readStore, generations, {
      projection: VIEW,
      mode: 'replay',
      batchSize: 400,
      graceMs: 50,
      offThread: {
        eventStore: settings,
        privacy: {
          encryption: 'on',
          keyStore: { kind: 'sqlite', path: join(dir, 'keys.sqlite') },
          deadLetterKeyDays: 7,
        },
      },
    }).run();
    expect(done.state).toBe('done');
    const rebuilt = await everything(readStore, `${NAME}@g1`);
    expect(
      JSON.stringify(rebuilt, (_, value: unknown) =>
        typeof value === 'bigint' ? String(value) : value,
      ),
    ).not.toMatch(/enc:v[12]:/);
    expect(rebuilt).toEqual(await expectedViews(sealed));
  });
});
