import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { SqliteEventStore, type EventStore, type EventStoreSettings } from '@rapport/event-store';
import { customerViewProjection, type Projection } from '@rapport/projections';
import {
  MemoryReadStore,
  RedisReadStore,
  ViewGenerations,
  type ReadStore,
  type StoredRecord,
} from '@rapport/read-store';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  uniqueRedisKeyPrefix,
  appendDecidedHistory,
  demoTouchpoints,
} from '@rapport/test-support';
import { Projector } from '../../projector';
import { ProjectionRebuild, type RebuildOptions } from '../projection-rebuild';
import { RebuildInterruptedError } from '../rebuild.errors';

const VIEW = customerViewProjection as Projection<unknown>;
const NAME = VIEW.name;
const GENERATION = `${NAME}@g1`;
const END = '2026-11-27T00:00:00.000Z';

const appendHistory = (store: EventStore, customers: number, seed: number, prefix = '') =>
  appendDecidedHistory(store, demoTouchpoints({ customers, seed, endAt: END, prefix }), END);

async function everything(store: ReadStore, collection: string) {
  return [...(await store.list(collection, { limit: 1_000_000 })).records];
}

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
jest.setTimeout(300_000);

describeIfAvailable('Rebuild folded on a worker thread into Redis', redisAvailability(), (url) => {
  let dir: string;
  let events: SqliteEventStore;
  let settings: EventStoreSettings;
  let keyPrefix: string;
  let redis: RedisReadStore;
  let generations: ViewGenerations;
  let live: Projector;
  /** The main thread's reads, writes and listings of the generation being built. */
  let generationCallsHere: string[];
  let counted: ReadStore;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-off-thread-redis-'));
    const path = join(dir, 'events.sqlite');
    settings = { kind: 'sqlite', path, busyTimeoutMs: 5_000, writer: 'inline' };
    events = new SqliteEventStore({ path, pollIntervalMs: 5 });
    await appendHistory(events, 60, 5);
    keyPrefix = uniqueRedisKeyPrefix('off-thread');
    redis = new RedisReadStore({ url, keyPrefix });
    generationCallsHere = [];
    counted = new Proxy(redis, {
      get(store, property) {
        const value = Reflect.get(store, property, store) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (
            ['getMany', 'putMany', 'list'].includes(String(property)) &&
            (args[0] === GENERATION || args[0] === NAME)
          )
            generationCallsHere.push(`${String(property)}(${String(args[0])})`);
          return (value as (...a: unknown[]) => unknown).apply(store, args);
        };
      },
    });
    generations = new ViewGenerations(counted, { cacheMs: 50 });
    live = new Projector(events, counted, [VIEW], {
      name: 'projector',
      batchSize: 500,
      maxBatchDelayMs: 2,
      generations,
    });
    await live.start();
    expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);
    generationCallsHere = [];
  });
  afterEach(async () => {
    await live.stop();
    await events.close();
    await redis.close();
    await deleteRedisNamespace(url, keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  const rebuild = (options: Partial<RebuildOptions> = {}) =>
    new ProjectionRebuild(events, counted, generations, {
      projection: VIEW,
      mode: 'replay',
      batchSize: 400,
      graceMs: 50,
      offThread: { eventStore: settings },
      live,
      ...options,
    });

  describe('when it replays the whole history', () => {
    it('writes the generation on its own connection: none of it passes through this thread', async () => {
      const done = await rebuild().run();
      expect(done).toMatchObject({ state: 'done', generation: 1 });
      expect(generationCallsHere.filter((call) => call.includes(GENERATION))).toEqual([]);
      expect(await everything(redis, GENERATION)).toEqual(await expectedViews(events));
    });
  });

  describe('when it is interrupted and run again', () => {
    it('reads back what it wrote on its own connection and ends equal to a clean replay', async () => {
      const abort = new AbortController();
      const first = rebuild({
        signal: abort.signal,
        onProgress: (progress) => {
          if (progress.eventsApplied >= 800) abort.abort();
        },
      });
      await expect(first.run()).rejects.toBeInstanceOf(RebuildInterruptedError);
      const second = await rebuild().run();
      expect(second).toMatchObject({ state: 'done', resumed: true, generation: 1 });
      expect(generationCallsHere.filter((call) => call.includes(GENERATION))).toEqual([]);
      expect(await everything(redis, GENERATION)).toEqual(await expectedViews(events));
    });
  });

  describe('when it is a dry run', () => {
    it('lists both views on its own connection and finds no difference', async () => {
      const done = await rebuild({ mode: 'dry-run' }).run();
      expect(done.comparison).toMatchObject({ compared: 60, differing: 0 });
      expect(generationCallsHere.filter((call) => call.startsWith('list'))).toEqual([]);
    });
  });
});
