import { Logger } from '@nestjs/common';
import { customerStreamName, eventIdFor, type CustomerEvent } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import {
  SqliteEventStore,
  type EventStore,
  type EventSubscription,
  type NewEvent,
} from '@rapport/event-store';
import { customerViewProjection, foldProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { Projector } from '../projector';
import type { ReadSliceBound } from './read-slice';

const VIEW = customerViewProjection as Projection<unknown>;
// Fewer customers than a projection step (100): applying the batch gives the loop no turn of
// its own, so any turn seen while catching up comes from reading in slices.
const CUSTOMERS = 30;
const EVENTS_PER_CUSTOMER = 200;
const EVENTS = CUSTOMERS * EVENTS_PER_CUSTOMER;

function toNewEvent(event: CustomerEvent): NewEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

function historyOfCustomer(customerId: string): CustomerEvent[] {
  return historyOf(
    ...Array.from({ length: EVENTS_PER_CUSTOMER }, (_, i) =>
      aTouchpoint(
        'web_visit',
        { url: `/page-${i}` },
        { customerId, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() },
      ),
    ),
  );
}

/**
 * The store as the projector sees it, counting the events its subscriptions handed out; each
 * event may cost `busyMs` of CPU, as opening a sealed event does, so reading never waits on I/O.
 */
function countingReads(inner: EventStore, busyMs = 0): { store: EventStore; read: () => number } {
  let read = 0;
  const store = Object.create(inner) as EventStore;
  store.subscribeToAll = (options): EventSubscription => {
    const subscription = inner.subscribeToAll(options);
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) {
          const until = performance.now() + busyMs;
          while (performance.now() < until);
          read += 1;
          yield event;
        }
      },
    };
  };
  return { store, read: () => read };
}

/** How many events had been read when the event loop next ran an immediate callback. */
const readAtNextTurn = (read: () => number) =>
  new Promise<number>((resolve) => setImmediate(() => resolve(read())));

describe('the projector catching up over an embedded store', () => {
  let eventStore: SqliteEventStore;
  let readStore: MemoryReadStore;
  let projector: Projector | undefined;
  const histories = new Map<string, CustomerEvent[]>();
  let head: bigint;

  const projectorOn = (store: EventStore, readSlice: ReadSliceBound) =>
    (projector = new Projector(store, readStore, [VIEW], {
      name: 'projector',
      batchSize: 100,
      // The whole history is one catch-up batch, as on the demo store.
      catchUpBatchSize: 1_000_000,
      maxBatchDelayMs: 5,
      readSlice,
    }));

  beforeAll(async () => {
    Logger.overrideLogger(false);
    eventStore = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
    for (let c = 0; c < CUSTOMERS; c++) {
      const customerId = `C-${c}`;
      const events = historyOfCustomer(customerId);
      histories.set(customerId, events);
      head = (
        await eventStore.append(customerStreamName(customerId), events.map(toNewEvent), {
          expectedRevision: 'no_stream',
        })
      ).position;
    }
  });
  beforeEach(() => {
    readStore = new MemoryReadStore();
  });
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await readStore.close();
  });
  afterAll(() => eventStore.close());

  describe('when the history is one catch-up batch of thousands of events', () => {
    it('lets the event loop turn after each slice of events read, and still applies and checkpoints the batch as one', async () => {
      const { store, read } = countingReads(eventStore);
      const batches: bigint[] = [];
      const subject = projectorOn(store, { events: 500, ms: 60_000 });
      subject.onApplied((_, position) => batches.push(position));

      await subject.start();
      const firstTurn = await readAtNextTurn(read);

      // Read in one piece, the batch would be read whole before any other callback ran.
      expect(firstTurn).toBeGreaterThan(0);
      expect(firstTurn).toBeLessThanOrEqual(500 + 1);
      expect(await subject.waitFor(head, 60_000)).toBe(true);
      expect(read()).toBe(EVENTS);
      expect(batches).toEqual([head]);
      expect(await readStore.getCheckpoint('projector')).toBe(head);
      for (const [customerId, events] of histories)
        expect((await readStore.get(VIEW.name, customerId))?.value).toEqual(
          foldProjection(customerViewProjection, customerId, events),
        );
    });
  });

  describe('when reading the batch takes longer than the batch delay', () => {
    it('still applies it as one batch: the store never ran out of events, the projector only took turns', async () => {
      // 6,000 events at 0.25 ms each: 1.5 s of reading, past the catch-up batch delay (1 s).
      const { store, read } = countingReads(eventStore, 0.25);
      const batches: bigint[] = [];
      const subject = projectorOn(store, { events: 100, ms: 50 });
      subject.onApplied((_, position) => batches.push(position));

      await subject.start();

      expect(await subject.waitFor(head, 60_000)).toBe(true);
      expect(read()).toBe(EVENTS);
      expect(batches).toEqual([head]);
    });
  });

  describe('when reading takes longer than the time bound before the event bound is met', () => {
    it('lets the event loop turn on time alone', async () => {
      const { store, read } = countingReads(eventStore);
      const subject = projectorOn(store, { events: Number.MAX_SAFE_INTEGER, ms: 0 });

      await subject.start();
      const firstTurn = await readAtNextTurn(read);

      expect(firstTurn).toBeGreaterThan(0);
      expect(firstTurn).toBeLessThan(EVENTS);
      expect(await subject.waitFor(head, 60_000)).toBe(true);
      expect(await readStore.getCheckpoint('projector')).toBe(head);
    });
  });
});
