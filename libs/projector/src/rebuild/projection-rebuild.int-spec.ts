import { Logger } from '@nestjs/common';
import type { Touchpoint } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
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
  type Availability,
  appendDecidedHistory,
  demoTouchpoints,
} from '@rapport/test-support';
import { Projector } from '../projector';
import { ProjectionRebuild, type RebuildProgress } from './projection-rebuild';
import { readProjectionsStatus, withRebuildStates } from '../status/projection-status';
import { RebuildInterruptedError } from './rebuild.errors';

const VIEW = customerViewProjection as Projection<unknown>;
const NAME = VIEW.name;
const END = '2026-11-27T00:00:00.000Z';

const appendCustomers = (store: SqliteEventStore, touchpoints: readonly Touchpoint[]) =>
  appendDecidedHistory(store, touchpoints, END);

const history = (customers: number, seed: number, prefix = ''): Touchpoint[] =>
  demoTouchpoints({ customers, seed, endAt: END, prefix });

async function everything(store: ReadStore, collection: string): Promise<StoredRecord<unknown>[]> {
  return [...(await store.list(collection, { limit: 1_000_000 })).records];
}

/** The views a clean replay from position 0 gives: what every rebuild must end equal to. */
async function expectedViews(events: SqliteEventStore): Promise<StoredRecord<unknown>[]> {
  const scratch = new MemoryReadStore();
  const projector = new Projector(events, scratch, [VIEW], {
    name: 'expected',
    batchSize: 10_000,
    maxBatchDelayMs: 0,
  });
  await projector.applyBatch(await events.readAll());
  return everything(scratch, NAME);
}

interface StoreUnderTest {
  readonly store: ReadStore;
  readonly dispose: () => Promise<void>;
}

function describeRebuild(title: string, availability: Availability<() => StoreUnderTest>): void {
  describeIfAvailable(title, availability, (open) => {
    let events: SqliteEventStore;
    let target: StoreUnderTest;
    let generations: ViewGenerations;
    let live: Projector;

    beforeAll(() => Logger.overrideLogger(false));
    beforeEach(async () => {
      events = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
      target = open();
      generations = new ViewGenerations(target.store, { cacheMs: 50 });
      live = new Projector(events, target.store, [VIEW], {
        name: 'projector',
        batchSize: 200,
        maxBatchDelayMs: 2,
        generations,
      });
      await appendCustomers(events, history(40, 11));
      await live.start();
      expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);
    });
    afterEach(async () => {
      await live.stop();
      await target.dispose();
      await events.close();
    });

    const rebuild = (options: Partial<ConstructorParameters<typeof ProjectionRebuild>[3]> = {}) =>
      new ProjectionRebuild(events, target.store, generations, {
        projection: VIEW,
        mode: 'replay',
        batchSize: 100,
        graceMs: 100,
        ...options,
      });

    describe('when it runs beside the live projector while events keep arriving', () => {
      it('switches once caught up, loses and doubles nothing, and drops the old view', async () => {
        const before = await target.store.count(NAME);
        let appending = true;
        const ingestion = (async () => {
          for (let batch = 0; appending || batch < 3; batch += 1) {
            await appendCustomers(events, history(3, 100 + batch, `N${batch}-`));
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })();
        const counts: number[] = [];
        const polling = (async () => {
          while (appending) {
            counts.push(await target.store.count(await generations.activeCollection(NAME)));
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();
        const done = await rebuild({ live }).run();
        appending = false;
        await Promise.all([ingestion, polling]);
        expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);

        expect(done).toMatchObject({ state: 'done', fromGeneration: 0, generation: 1 });
        expect(await generations.active(NAME)).toBe(1);
        // Never a half-built view: the active one never had fewer customers than before.
        expect(Math.min(...counts)).toBeGreaterThanOrEqual(before);
        expect(await everything(target.store, `${NAME}@g1`)).toEqual(await expectedViews(events));
        expect(await target.store.count(NAME)).toBe(0);
      });
    });

    describe('when the live projector runs in another process', () => {
      it('follows the pointer and brings the new generation up to where it was', async () => {
        const done = await rebuild({ liveCheckpoint: 'projector' }).run();
        expect(done.state).toBe('done');
        await appendCustomers(events, history(5, 7, 'later-'));
        expect(await live.waitFor(await events.headPosition(), 10_000)).toBe(true);
        expect(await everything(target.store, `${NAME}@g1`)).toEqual(await expectedViews(events));
      });
    });

    describe('its rate', () => {
      it('is events applied over the time the run took, a view rebuilt in one page included', async () => {
        const done = await rebuild({ liveCheckpoint: 'projector', batchSize: 1_000_000 }).run();
        expect(done.state).toBe('done');
        expect(done.eventsApplied).toBeGreaterThan(0);
        expect(done.eventsPerSecond).toBeGreaterThan(0);
      });
    });

    describe('when it fails', () => {
      it('ends failed with the reason, and the status says so instead of a build in progress', async () => {
        const broken = new Proxy(events, {
          get(store, property) {
            if (property === 'readAll') return () => Promise.reject(new Error('disk I/O error'));
            const value = Reflect.get(store, property, store) as unknown;
            return typeof value === 'function' ? value.bind(store) : value;
          },
        });
        const failing = new ProjectionRebuild(broken, target.store, generations, {
          projection: VIEW,
          mode: 'replay',
          liveCheckpoint: 'projector',
        });
        await expect(failing.run()).rejects.toThrow('disk I/O error');
        expect(failing.status()).toMatchObject({ state: 'failed', error: 'disk I/O error' });
        expect(failing.status().finishedAt).toBeDefined();
        const status = withRebuildStates(
          await readProjectionsStatus(events, target.store, generations),
          [failing.status()],
        );
        expect(status.projections.find((p) => p.name === NAME)?.building).toMatchObject({
          generation: 1,
          state: 'failed',
          error: 'disk I/O error',
        });
      });
    });

    describe('when it is interrupted', () => {
      it('resumes from its own checkpoint and ends equal to a clean rebuild', async () => {
        const abort = new AbortController();
        let seen: RebuildProgress | undefined;
        const first = rebuild({
          liveCheckpoint: 'projector',
          signal: abort.signal,
          onProgress: (progress) => {
            seen = progress;
            if (progress.eventsApplied >= 300) abort.abort();
          },
        });
        await expect(first.run()).rejects.toBeInstanceOf(RebuildInterruptedError);
        expect(seen).toMatchObject({ state: 'interrupted' });
        expect(await generations.active(NAME)).toBe(0);
        expect(await generations.building(NAME)).toBe(1);
        const interruptedAt = first.status().eventsApplied;

        const second = await rebuild({ liveCheckpoint: 'projector' }).run();
        expect(second).toMatchObject({ state: 'done', resumed: true, generation: 1 });
        const total = Number(await events.headPosition());
        expect(second.eventsApplied).toBeLessThan(total);
        expect(second.eventsApplied + interruptedAt).toBeGreaterThanOrEqual(total);
        expect(await generations.active(NAME)).toBe(1);
        expect(await generations.building(NAME)).toBeUndefined();
        expect(await everything(target.store, `${NAME}@g1`)).toEqual(await expectedViews(events));
      });
    });

    describe('when verifying a corrupted view', () => {
      it('finds the record that differs and leaves no scratch view behind', async () => {
        const [victim] = (await target.store.list(NAME, { limit: 1 })).records;
        await target.store.dropCollection(NAME);
        const expected = await expectedViews(events);
        await target.store.putMany(
          NAME,
          expected.map((r) => (r.key === victim.key ? { ...r, value: { corrupted: true } } : r)),
        );
        const result = await rebuild({ mode: 'verify', liveCheckpoint: 'projector' }).run();
        expect(result.comparison).toMatchObject({
          differing: 1,
          differences: [{ key: victim.key, kind: 'value' }],
        });
        expect(await target.store.count(`${NAME}@verify`)).toBe(0);
        expect(await generations.active(NAME)).toBe(0);
      });
    });
  });
}

describeRebuild('Blue/green rebuild into the memory read store', {
  available: true,
  via: 'MemoryReadStore',
  value: () => {
    const store = new MemoryReadStore();
    return { store, dispose: () => store.close() };
  },
});

const redis = redisAvailability();
describeRebuild(
  'Blue/green rebuild into the Redis read store',
  redis.available
    ? {
        available: true,
        via: redis.via,
        value: () => {
          const keyPrefix = uniqueRedisKeyPrefix('rebuild');
          const store = new RedisReadStore({ url: redis.value, keyPrefix });
          return {
            store,
            dispose: async () => {
              await store.close();
              await deleteRedisNamespace(redis.value, keyPrefix);
            },
          };
        },
      }
    : redis,
);
