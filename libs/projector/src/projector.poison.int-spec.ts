import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import {
  customerStreamName,
  eventIdFor,
  type CustomerEvent,
  type Touchpoint,
} from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import {
  EventStoreDbEventStore,
  SqliteEventStore,
  type EventStore,
  type NewEvent,
} from '@rapport/event-store';
import {
  customerViewProjection,
  foldProjection,
  staleMarkOf,
  type Projection,
} from '@rapport/projections';
import { MemoryReadStore, ViewGenerations } from '@rapport/read-store';
import { describeIfAvailable, eventStoreDbAvailability } from '@rapport/test-support';
import { readParkedCustomers } from './parking/parked-customers';
import { Projector } from './projector';
import { ProjectionRebuild } from './rebuild/projection-rebuild';

const VIEW = customerViewProjection as Projection<unknown>;
const on = (day: number) => ({
  occurredAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`,
});

function toNewEvent(event: CustomerEvent): NewEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

/** A purchase as a writer without validation stored it: no amount (the incident of issue 27). */
function purchaseWithoutAmount(customerId: string, day: number): NewEvent {
  const [purchase] = historyOf(
    aTouchpoint(
      'purchase',
      { orderId: `O-${customerId}-${day}`, amount: { minor: 1000, currency: 'EUR' } },
      { customerId, ...on(day) },
    ),
  );
  const event = toNewEvent(purchase);
  const { amount: _amount, ...data } = event.data as { amount?: unknown };
  return { ...event, data };
}

function visits(customerId: string, ...days: number[]): CustomerEvent[] {
  return historyOf(
    ...days.map((day): Touchpoint =>
      aTouchpoint('web_visit', { url: `/d${day}` }, { customerId, ...on(day) }),
    ),
  );
}

/**
 * The poison event is written straight into the store through the port (as a writer that skips
 * the edge would), between good events of its customer and of another customer.
 */
function describePoison(
  title: string,
  openEventStore: () => Promise<EventStore>,
  /** A store other tests write to as well: read from its head on, customers of our own. */
  shared = false,
): void {
  describe(title, () => {
    let eventStore: EventStore;
    let readStore: MemoryReadStore;
    const projectors: Projector[] = [];
    let prefix = '';
    const id = (customer: string) => `${prefix}${customer}`;

    const projectorOn = (options: { generations?: ViewGenerations; batchSize?: number } = {}) => {
      const projector = new Projector(eventStore, readStore, [VIEW], {
        name: 'projector',
        batchSize: options.batchSize ?? 2,
        maxBatchDelayMs: 5,
        retry: { initialMs: 5, maxMs: 20 },
        ...(options.generations ? { generations: options.generations } : {}),
      });
      projectors.push(projector);
      return projector;
    };
    const append = async (customerId: string, events: readonly NewEvent[]) =>
      (await eventStore.append(customerStreamName(customerId), events, { expectedRevision: 'any' }))
        .position;
    const viewOf = async (customerId: string, collection = VIEW.name) =>
      (await readStore.get(collection, customerId))?.value;

    beforeAll(() => Logger.overrideLogger(false));
    beforeEach(async () => {
      eventStore = await openEventStore();
      readStore = new MemoryReadStore();
      if (shared) {
        prefix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}-`;
        await readStore.putCheckpoint('projector', await eventStore.headPosition());
      }
    });
    afterEach(async () => {
      for (const projector of projectors.splice(0)) await projector.stop();
      await readStore.close();
      await eventStore.close();
    });

    /** C-1: a visit, the poison purchase, two visits; C-2: three visits around it. */
    async function poisonHistory() {
      const c1Before = visits(id('C-1'), 1);
      const c1After = visits(id('C-1'), 3, 4);
      const c2 = visits(id('C-2'), 1, 2, 5);
      await append(id('C-1'), c1Before.map(toNewEvent));
      await append(id('C-2'), c2.slice(0, 1).map(toNewEvent));
      const poison = await append(id('C-1'), [purchaseWithoutAmount(id('C-1'), 2)]);
      await append(id('C-2'), c2.slice(1, 2).map(toNewEvent));
      await append(id('C-1'), c1After.map(toNewEvent));
      const head = await append(id('C-2'), c2.slice(2).map(toNewEvent));
      return { c1Before, c2, poison, head };
    }

    describe('when a projection cannot apply an event', () => {
      it('parks that customer and goes on with every other one', async () => {
        const projector = projectorOn();
        await projector.start();
        const { c1Before, c2, poison, head } = await poisonHistory();

        // Read-your-writes and the checkpoint move on past the poison event.
        expect(await projector.waitFor(head, 10_000)).toBe(true);
        expect(await readStore.getCheckpoint('projector')).toBeGreaterThanOrEqual(head);
        expect(projector.status()).toMatchObject({ state: 'live', parkedCustomers: 1 });
        expect(await viewOf(id('C-2'))).toEqual(
          foldProjection(customerViewProjection, id('C-2'), c2),
        );

        const c1 = await viewOf(id('C-1'));
        expect(staleMarkOf(c1)).toEqual({
          position: poison.toString(),
          eventType: 'PurchaseCompleted',
          error: expect.stringContaining("reading 'currency'") as unknown,
          eventsNotApplied: 2,
        });
        const { stale: _stale, ...before } = c1 as { stale: unknown };
        expect(before).toEqual(foldProjection(customerViewProjection, id('C-1'), c1Before));
        expect(await readParkedCustomers(readStore, VIEW.name)).toEqual({
          count: 1,
          customers: [
            {
              customerId: id('C-1'),
              projection: 'customer-view',
              position: poison.toString(),
              eventType: 'PurchaseCompleted',
              error: expect.stringContaining("reading 'currency'") as unknown,
            },
          ],
        });
      });
    });

    describe('when it restarts while a customer is parked', () => {
      it('still lists it, and counts its later events without applying them', async () => {
        const first = projectorOn();
        await first.start();
        const { head } = await poisonHistory();
        expect(await first.waitFor(head, 10_000)).toBe(true);
        await first.stop();

        const second = projectorOn();
        await second.start();
        // Listed from the start, before any new event.
        expect(second.status().parkedCustomers).toBe(1);
        const later = await append(id('C-1'), visits(id('C-1'), 6).map(toNewEvent));
        expect(await second.waitFor(later, 10_000)).toBe(true);
        expect(staleMarkOf(await viewOf(id('C-1')))).toMatchObject({ eventsNotApplied: 3 });
        expect((await readParkedCustomers(readStore, VIEW.name)).count).toBe(1);
        expect(second.status()).toMatchObject({ state: 'live', parkedCustomers: 1 });
      });
    });

    describe('when an event comes from a newer writer', () => {
      it('parks the customer with the reason it cannot be read', async () => {
        const projector = projectorOn();
        await projector.start();
        const [visit] = visits(id('C-3'), 1);
        const newer = toNewEvent(visit);
        const at = await append(id('C-3'), [
          { ...newer, metadata: { ...newer.metadata, schemaVersion: 9 } },
        ]);
        expect(await projector.waitFor(at, 10_000)).toBe(true);
        expect(staleMarkOf(await viewOf(id('C-3')))).toMatchObject({
          position: at.toString(),
          eventType: 'WebVisitRecorded',
          error: expect.stringContaining('schema version 9') as unknown,
        });
      });
    });

    describe('when the views are rebuilt with the poison still there', () => {
      (shared ? it.skip : it)(
        'parks the customer at the same event, and a dry run finds the views equal',
        async () => {
          const generations = new ViewGenerations(readStore, { cacheMs: 0 });
          const projector = projectorOn({ generations });
          await projector.start();
          const { head } = await poisonHistory();
          expect(await projector.waitFor(head, 10_000)).toBe(true);

          const dryRun = await new ProjectionRebuild(eventStore, readStore, generations, {
            projection: VIEW,
            mode: 'dry-run',
            live: projector,
            batchSize: 3,
          }).run();
          expect(dryRun).toMatchObject({
            state: 'done',
            comparison: { differing: 0, compared: 2 },
          });
          // The scratch generation went with its list of parked customers.
          expect(await readStore.count(`parked:${ViewGenerations.collection(VIEW.name, 1)}`)).toBe(
            0,
          );
        },
      );
    });
  });
}

describePoison(
  'Poison events in SQLite (written through the port)',
  async () => new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 }),
);

describe('Poison events in SQLite (a hand edit of the file)', () => {
  let dir: string;
  let eventStore: SqliteEventStore;
  let readStore: MemoryReadStore;
  const projectors: Projector[] = [];

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-poison-'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    readStore = new MemoryReadStore();
  });
  afterEach(async () => {
    for (const projector of projectors.splice(0)) await projector.stop();
    await readStore.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What an operator does with the sqlite3 shell: the event's data replaced in place. */
  function editEvent(position: bigint, change: (data: Record<string, unknown>) => unknown): void {
    const db = new Database(join(dir, 'events.db'));
    try {
      const row = db.prepare('SELECT data FROM events WHERE position = ?').get(position) as {
        data: string;
      };
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
        JSON.stringify(change(JSON.parse(row.data) as Record<string, unknown>)),
        position,
      );
    } finally {
      db.close();
    }
  }

  it('parks the customer, and a rebuild after the event is mended clears it', async () => {
    const purchase = historyOf(
      aTouchpoint(
        'purchase',
        { orderId: 'O-9', amount: { minor: 2500, currency: 'EUR' } },
        { customerId: 'C-9', ...on(2) },
      ),
    );
    const history = [...visits('C-9', 1), ...purchase, ...visits('C-9', 3)];
    const stream = customerStreamName('C-9');
    await eventStore.append(stream, history.slice(0, 1).map(toNewEvent), {
      expectedRevision: 'any',
    });
    const bought = (
      await eventStore.append(stream, history.slice(1, 2).map(toNewEvent), {
        expectedRevision: 'any',
      })
    ).position;
    const head = (
      await eventStore.append(stream, history.slice(2).map(toNewEvent), { expectedRevision: 'any' })
    ).position;
    // The hand edit that broke it, before the projector ever read the event.
    const original = JSON.parse(JSON.stringify(history[1].data)) as Record<string, unknown>;
    editEvent(bought, ({ amount: _amount, ...rest }) => rest);

    const generations = new ViewGenerations(readStore, { cacheMs: 0 });
    const projector = new Projector(eventStore, readStore, [VIEW], {
      name: 'projector',
      batchSize: 10,
      maxBatchDelayMs: 5,
      generations,
    });
    projectors.push(projector);
    await projector.start();
    expect(await projector.waitFor(head, 10_000)).toBe(true);
    expect(projector.status().parkedCustomers).toBe(1);

    // Mended from the backup; the rebuild replays every event into a fresh generation.
    editEvent(bought, () => original);
    const rebuilt = await new ProjectionRebuild(eventStore, readStore, generations, {
      projection: VIEW,
      mode: 'replay',
      live: projector,
      graceMs: 0,
    }).run();
    expect(rebuilt.state).toBe('done');

    const collection = await generations.activeCollection(VIEW.name);
    expect(collection).toBe('customer-view@g1');
    expect((await readStore.get(collection, 'C-9'))?.value).toEqual(
      foldProjection(customerViewProjection, 'C-9', history),
    );
    expect(await readParkedCustomers(readStore, collection)).toEqual({ count: 0, customers: [] });
    // The live projector follows the switch and counts the new generation's list.
    const deadline = Date.now() + 10_000;
    while (projector.status().parkedCustomers !== 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(projector.status().parkedCustomers).toBe(0);
    // The old generation and its list are gone.
    expect(await readStore.count('parked:customer-view')).toBe(0);
  });
});

const eventStoreDb = eventStoreDbAvailability();
describeIfAvailable('Poison events in EventStoreDB', eventStoreDb, (connectionString) => {
  // The server is shared by the whole run: a rebuild from position 0 would meet every other
  // test's events, so the rebuild case runs on SQLite only.
  describePoison(
    '(appended through the client)',
    async () => new EventStoreDbEventStore({ connectionString }),
    true,
  );
});
