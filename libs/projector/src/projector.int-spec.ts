import { Logger } from '@nestjs/common';
import {
  customerStreamName,
  eventIdFor,
  type CustomerEvent,
  type Touchpoint,
} from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { SqliteEventStore, type NewEvent, type RecordedEvent } from '@rapport/event-store';
import { customerViewProjection, foldProjection, type Projection } from '@rapport/projections';
import {
  MemoryReadStore,
  ReadStoreUnavailableError,
  RedisReadStore,
  type ReadStore,
} from '@rapport/read-store';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  uniqueRedisKeyPrefix,
  type Availability,
} from '@rapport/test-support';
import { Projector } from './projector';

const VIEW = customerViewProjection as Projection<unknown>;
const RETRY = { initialMs: 5, maxMs: 20 };

function toNewEvent(event: CustomerEvent): NewEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

/**
 * Two customers' histories, built by the decider so every event is one it would record. Each
 * call makes new touchpoint ids: call it once per test.
 */
function histories(): Map<string, CustomerEvent[]> {
  const of = (customerId: string, ...touchpoints: Touchpoint[]) =>
    [customerId, historyOf(...touchpoints)] as const;
  const on = (day: number) => ({
    occurredAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  });
  return new Map([
    of(
      'C-1',
      aTouchpoint('web_visit', { url: '/shoes' }, { customerId: 'C-1', ...on(1) }),
      aTouchpoint(
        'purchase',
        { orderId: 'O-1', amount: { minor: 4999, currency: 'EUR' } },
        { customerId: 'C-1', channel: 'store', ...on(2) },
      ),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-1', amount: { minor: 999, currency: 'EUR' } },
        { customerId: 'C-1', ...on(3) },
      ),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-1', category: 'delivery' },
        { customerId: 'C-1', channel: 'phone', ...on(4) },
      ),
    ),
    of(
      'C-2',
      aTouchpoint(
        'email',
        { direction: 'outbound', action: 'opened' },
        { customerId: 'C-2', channel: 'email', ...on(1) },
      ),
      aTouchpoint(
        'call',
        { direction: 'inbound', durationSeconds: 120 },
        { customerId: 'C-2', channel: 'phone', ...on(5) },
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-2', amount: { minor: 1500, currency: 'EUR' } },
        { customerId: 'C-2', ...on(6) },
      ),
    ),
  ]);
}

function expectedView(customerId: string, events: readonly CustomerEvent[]): unknown {
  return foldProjection(customerViewProjection, customerId, events);
}

/**
 * A read store that fails `failures` writes as an outage would, after letting the first
 * `passing` through, and counts record writes and their sizes.
 */
class FlakyReadStore implements ReadStore {
  failed = 0;
  recordWrites = 0;
  largestWrite = 0;

  constructor(
    private readonly inner: ReadStore,
    private failures: number,
    private passing = 0,
  ) {}

  private trip(): void {
    if (this.passing > 0) {
      this.passing -= 1;
      return;
    }
    if (this.failures <= 0) return;
    this.failures -= 1;
    this.failed += 1;
    throw new ReadStoreUnavailableError('the read store is away (test)');
  }

  get: ReadStore['get'] = (collection, key, options) => this.inner.get(collection, key, options);
  getMany: ReadStore['getMany'] = (collection, keys) => this.inner.getMany(collection, keys);
  putMany: ReadStore['putMany'] = async (collection, records) => {
    this.trip();
    this.recordWrites += 1;
    this.largestWrite = Math.max(this.largestWrite, records.length);
    return this.inner.putMany(collection, records);
  };
  deleteMany: ReadStore['deleteMany'] = async (collection, keys) => {
    this.trip();
    return this.inner.deleteMany(collection, keys);
  };
  list: ReadStore['list'] = (collection, options) => this.inner.list(collection, options);
  count: ReadStore['count'] = (collection) => this.inner.count(collection);
  dropCollection: ReadStore['dropCollection'] = (collection) =>
    this.inner.dropCollection(collection);
  getCheckpoint: ReadStore['getCheckpoint'] = (name) => this.inner.getCheckpoint(name);
  putCheckpoint: ReadStore['putCheckpoint'] = async (name, position) => {
    this.trip();
    return this.inner.putCheckpoint(name, position);
  };
  getBinding: ReadStore['getBinding'] = (name) => this.inner.getBinding(name);
  putBinding: ReadStore['putBinding'] = (name, id) => this.inner.putBinding(name, id);
  close: ReadStore['close'] = () => this.inner.close();
}

interface StoreUnderTest {
  readonly store: ReadStore;
  /** Removes what the test wrote and closes the store. */
  readonly dispose: () => Promise<void>;
}

function describeProjector(title: string, availability: Availability<() => StoreUnderTest>): void {
  describeIfAvailable(title, availability, (open) => {
    let eventStore: SqliteEventStore;
    let readStore: StoreUnderTest;
    const projectors: Projector[] = [];

    const projectorOn = (store: ReadStore) => {
      const projector = new Projector(eventStore, store, [VIEW], {
        name: 'projector',
        batchSize: 3,
        maxBatchDelayMs: 5,
        retry: RETRY,
      });
      projectors.push(projector);
      return projector;
    };

    const append = async (customerId: string, events: readonly CustomerEvent[]) =>
      (
        await eventStore.append(customerStreamName(customerId), events.map(toNewEvent), {
          expectedRevision: 'any',
        })
      ).position;

    const viewOf = async (customerId: string) =>
      (await readStore.store.get(VIEW.name, customerId))?.value;

    beforeAll(() => Logger.overrideLogger(false));
    beforeEach(() => {
      eventStore = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
      readStore = open();
    });
    afterEach(async () => {
      for (const projector of projectors.splice(0)) await projector.stop();
      await readStore.dispose();
      await eventStore.close();
    });

    describe('when a batch is applied', () => {
      it("tells its listeners the customers whose records it wrote (their ids, not their streams' names) and the position reached", async () => {
        const all = histories();
        for (const [customerId, events] of all) await append(customerId, events);
        const projector = projectorOn(readStore.store);
        const told: Array<{ customerIds: string[]; position: bigint }> = [];
        projector.onApplied((customerIds, position) =>
          told.push({ customerIds: [...customerIds], position }),
        );
        const batch = await eventStore.readAll();
        await projector.applyBatch(batch);
        expect(told).toEqual([
          { customerIds: [...all.keys()], position: batch[batch.length - 1].position },
        ]);
      });
    });

    describe('when events are appended while it runs', () => {
      it('lands them in the customer view', async () => {
        const [[c1, c1Events], [c2, c2Events]] = [...histories()];
        const projector = projectorOn(readStore.store);
        await projector.start();

        const first = await append(c1, c1Events.slice(0, 2));
        expect(await projector.waitFor(first, 5_000)).toBe(true);
        expect(await viewOf(c1)).toEqual(expectedView(c1, c1Events.slice(0, 2)));

        await append(c1, c1Events.slice(2));
        const last = await append(c2, c2Events);
        expect(await projector.waitFor(last, 5_000)).toBe(true);
        expect(await viewOf(c1)).toEqual(expectedView(c1, c1Events));
        expect(await viewOf(c2)).toEqual(expectedView(c2, c2Events));
        expect(await readStore.store.get(VIEW.name, c2)).toMatchObject({ position: last });
        expect(await readStore.store.getCheckpoint('projector')).toBe(last);
        expect(projector.status()).toMatchObject({ state: 'live', position: last });
      });
    });

    describe('when a batch is delivered twice', () => {
      it('counts every event once', async () => {
        const all = histories();
        for (const [customerId, events] of all) await append(customerId, events);
        const batch: RecordedEvent[] = await eventStore.readAll();
        const projector = projectorOn(readStore.store);

        await projector.applyBatch(batch);
        await projector.applyBatch(batch);
        await projector.applyBatch(batch.slice(1, 4));

        for (const [customerId, events] of all) {
          expect(await viewOf(customerId)).toEqual(expectedView(customerId, events));
        }
        expect(await readStore.store.count(VIEW.name)).toBe(2);
      });
    });

    describe('when a batch touches more customers than one step takes', () => {
      it('writes them step by step, and retries a failed later step without counting twice', async () => {
        const all = histories();
        for (const [customerId, events] of all) await append(customerId, events);
        // The first customer's write goes through, the second customer's fails once.
        const flaky = new FlakyReadStore(readStore.store, 1, 1);
        const projector = new Projector(eventStore, flaky, [VIEW], {
          name: 'projector',
          batchSize: 100,
          customersPerStep: 1,
          maxBatchDelayMs: 5,
          retry: RETRY,
        });

        await projector.applyBatch(await eventStore.readAll());

        expect(flaky.failed).toBe(1);
        expect(flaky.largestWrite).toBe(1);
        // The retry read the first customer back at its new position and had nothing to write.
        expect(flaky.recordWrites).toBe(2);
        for (const [customerId, events] of all)
          expect(await viewOf(customerId)).toEqual(expectedView(customerId, events));
      });
    });

    describe('when it starts behind', () => {
      it('catches up in large batches, then follows in small ones', async () => {
        const counting = new FlakyReadStore(readStore.store, 0);
        const projector = new Projector(eventStore, counting, [VIEW], {
          name: 'projector',
          batchSize: 1,
          catchUpBatchSize: 1_000,
          maxBatchDelayMs: 5,
          retry: RETRY,
        });
        projectors.push(projector);
        const [[c1, c1Events], [c2, c2Events]] = [...histories()];
        await append(c1, c1Events);
        const head = await append(c2, c2Events.slice(0, 1));

        await projector.start();
        expect(await projector.waitFor(head, 5_000)).toBe(true);
        // Every event up to the head seen at start in one batch: one write of both records.
        expect(counting.recordWrites).toBe(1);

        const live = await append(c2, c2Events.slice(1));
        expect(await projector.waitFor(live, 5_000)).toBe(true);
        expect(counting.recordWrites).toBe(1 + c2Events.length - 1);
        expect(await viewOf(c1)).toEqual(expectedView(c1, c1Events));
        expect(await viewOf(c2)).toEqual(expectedView(c2, c2Events));
      });
    });

    describe('when it restarts from its checkpoint', () => {
      it('continues without gaps', async () => {
        const [[c1, c1Events], [c2, c2Events]] = [...histories()];
        await append(c1, c1Events.slice(0, 3));
        const before = await append(c2, c2Events.slice(0, 1));
        const first = projectorOn(readStore.store);
        await first.start();
        expect(await first.waitFor(before, 5_000)).toBe(true);
        await first.stop();

        await append(c1, c1Events.slice(3));
        const head = await append(c2, c2Events.slice(1));
        const second = projectorOn(readStore.store);
        await second.start();
        expect(await second.waitFor(head, 5_000)).toBe(true);

        expect(await viewOf(c1)).toEqual(expectedView(c1, c1Events));
        expect(await viewOf(c2)).toEqual(expectedView(c2, c2Events));
        // Only the events after the checkpoint went through the second projector.
        expect(second.status().eventsApplied).toBe(c1Events.length - 3 + c2Events.length - 1);
        expect(await readStore.store.getCheckpoint('projector')).toBe(head);
      });
    });

    describe('when the read store fails a few times', () => {
      it('retries and resumes with the right view', async () => {
        const flaky = new FlakyReadStore(readStore.store, 4);
        const projector = projectorOn(flaky);
        const all = histories();
        let head = -1n;
        for (const [customerId, events] of all) head = await append(customerId, events);
        await projector.start();

        expect(await projector.waitFor(head, 5_000)).toBe(true);
        expect(flaky.failed).toBe(4);
        for (const [customerId, events] of all) {
          expect(await viewOf(customerId)).toEqual(expectedView(customerId, events));
        }
        expect(projector.status()).toMatchObject({ state: 'live', position: head });
        expect(projector.status()).not.toHaveProperty('lastError');
      });

      it('stops with the reason on an error that is not an outage', async () => {
        // A store that refuses the write for good: retrying would fail the same way forever.
        const refusing = new FlakyReadStore(readStore.store, 0);
        refusing.putMany = () => Promise.reject(new Error('read store refuses the write (test)'));
        const projector = projectorOn(refusing);
        const [[customerId, events]] = [...histories()];
        const head = await append(customerId, events);
        await projector.start();

        await expect(projector.waitFor(head, 5_000)).rejects.toThrow('refuses the write');
        expect(projector.status()).toMatchObject({
          state: 'failed',
          lastError: 'read store refuses the write (test)',
        });
      });
    });
  });
}

describeProjector('Projector on SQLite events into the memory read store', {
  available: true,
  via: 'MemoryReadStore',
  value: () => {
    const store = new MemoryReadStore();
    return { store, dispose: () => store.close() };
  },
});

const redis = redisAvailability();
describeProjector(
  'Projector on SQLite events into the Redis read store',
  redis.available
    ? {
        available: true,
        via: redis.via,
        value: () => {
          const keyPrefix = uniqueRedisKeyPrefix('projector');
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
