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
import { MemoryReadStore, type ReadStore } from '@rapport/read-store';
import { Projector } from '../projector';

const VIEW = customerViewProjection as Projection<unknown>;
// Three projection steps of 100 customers: a batch applied whole writes three times.
const CUSTOMERS = 300;
const EVENTS_PER_CUSTOMER = 20;

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

/** The store as the projector sees it, calling `onRead` with the count of events handed out. */
function watchedReads(inner: EventStore, onRead: (read: number) => void): EventStore {
  let read = 0;
  const store = Object.create(inner) as EventStore;
  store.subscribeToAll = (options): EventSubscription => {
    const subscription = inner.subscribeToAll(options);
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) {
          onRead(++read);
          yield event;
        }
      },
    };
  };
  return store;
}

/** The read store with slow record writes, calling `onWrite` before each. */
function slowWrites(inner: MemoryReadStore, onWrite: () => void): ReadStore {
  const store = Object.create(inner) as MemoryReadStore;
  store.putMany = async (collection, records) => {
    onWrite();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return inner.putMany(collection, records);
  };
  return store;
}

describe('the projector stopped during a catch-up', () => {
  let eventStore: SqliteEventStore;
  const histories = new Map<string, CustomerEvent[]>();
  let head: bigint;

  const projectorOn = (events: EventStore, views: ReadStore) =>
    new Projector(events, views, [VIEW], {
      name: 'projector',
      batchSize: 100,
      // The whole history is one catch-up batch, as on the demo store.
      catchUpBatchSize: 1_000_000,
      maxBatchDelayMs: 5,
      readSlice: { events: 200, ms: 60_000 },
    });

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
  afterAll(() => eventStore.close());

  /** A new projector on the same read store catches up; every view is the fold of its events. */
  async function expectCleanRestart(readStore: MemoryReadStore): Promise<void> {
    const again = projectorOn(eventStore, readStore);
    await again.start();
    try {
      expect(await again.waitFor(head, 60_000)).toBe(true);
      expect(await readStore.getCheckpoint('projector')).toBe(head);
      for (const [customerId, events] of histories)
        expect((await readStore.get(VIEW.name, customerId))?.value).toEqual(
          foldProjection(customerViewProjection, customerId, events),
        );
    } finally {
      await again.stop();
    }
  }

  it('leaves a batch it is still reading unapplied, with the checkpoint before it', async () => {
    const readStore = new MemoryReadStore();
    let stopped: Promise<void> | undefined;
    const projector: Projector = projectorOn(
      watchedReads(eventStore, (read) => {
        if (read === 1_000) stopped = projector.stop();
      }),
      readStore,
    );

    await projector.start();
    for (let i = 0; i < 600 && !stopped; i++) await new Promise((r) => setTimeout(r, 10));
    await stopped;

    expect(await readStore.getCheckpoint('projector')).toBeUndefined();
    expect(projector.status().state).toBe('stopped');
    await expectCleanRestart(readStore);
  }, 120_000);

  it('abandons a batch it is applying after the step in flight, and a restart redoes the rest', async () => {
    const readStore = new MemoryReadStore();
    let writes = 0;
    let stopped: Promise<void> | undefined;
    const projector: Projector = projectorOn(
      eventStore,
      slowWrites(readStore, () => {
        writes += 1;
        if (writes === 1) stopped = projector.stop();
      }),
    );

    await projector.start();
    for (let i = 0; i < 600 && !stopped; i++) await new Promise((r) => setTimeout(r, 10));
    await stopped;

    // One step of three written; no checkpoint: the views hold part of the batch, each record
    // with the position of its last event.
    expect(writes).toBe(1);
    expect(await readStore.getCheckpoint('projector')).toBeUndefined();
    expect(projector.status().state).toBe('stopped');
    await expectCleanRestart(readStore);
  }, 120_000);
});
