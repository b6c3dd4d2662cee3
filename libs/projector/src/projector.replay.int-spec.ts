import fc from 'fast-check';
import {
  customerStreamName,
  decide,
  eventIdFor,
  evolve,
  foldCustomer,
  recordTouchpoint,
  type CustomerState,
} from '@rapport/domain';
import { generateDemoHistory } from '@rapport/demo-data';
import { SqliteEventStore, type NewEvent } from '@rapport/event-store';
import { customerViewProjection, type Projection } from '@rapport/projections';
import { MemoryReadStore, type ReadStore } from '@rapport/read-store';
import { Projector } from './projector';

const projections = [customerViewProjection as Projection<unknown>];

/** Law: replaying all events from position 0 gives exactly the views live processing gave. */
describe('Projector: rebuilt equals live', () => {
  it('holds for any history, any append chunking and any live batch size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        async (seed, customers, appendChunk, liveBatch) => {
          const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
          const live = new MemoryReadStore();
          const rebuilt = new MemoryReadStore();
          const projector = new Projector(store, live, projections, {
            name: 'live',
            batchSize: liveBatch,
            maxBatchDelayMs: 1,
          });
          try {
            await projector.start();
            await appendHistory(store, seed, customers, appendChunk);
            const head = await store.headPosition();
            expect(await projector.waitFor(head, 10_000)).toBe(true);

            const replay = new Projector(store, rebuilt, projections, {
              name: 'replay',
              batchSize: 1_000,
              maxBatchDelayMs: 1,
            });
            await replay.start();
            expect(await replay.waitFor(head, 10_000)).toBe(true);
            await replay.stop();
            expect(await everything(rebuilt)).toEqual(await everything(live));
          } finally {
            await projector.stop();
            await store.close();
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});

describe('Projector: an event delivered twice in one batch', () => {
  it('is applied once', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const views = new MemoryReadStore();
    try {
      await appendHistory(store, 3, 2, 10);
      const events = await store.readAll();
      const projector = new Projector(store, views, projections, {
        name: 'dup',
        batchSize: 1_000,
        maxBatchDelayMs: 1,
      });
      await projector.applyBatch([...events.slice(0, 5), events[4], ...events.slice(5)]);
      const once = new MemoryReadStore();
      await new Projector(store, once, projections, {
        name: 'once',
        batchSize: 1_000,
        maxBatchDelayMs: 1,
      }).applyBatch(events);
      expect(await everything(views)).toEqual(await everything(once));
    } finally {
      await store.close();
    }
  });
});

/** Appends a demo history in chunks, interleaving customers, as ingestion would. */
async function appendHistory(
  store: SqliteEventStore,
  seed: number,
  customers: number,
  chunk: number,
): Promise<void> {
  const touchpoints = [
    ...generateDemoHistory({ customers, months: 3, seed, endAt: '2026-11-27T00:00:00.000Z' }),
  ].sort((x, y) => (x.occurredAt < y.occurredAt ? -1 : 1));
  const states = new Map<string, { state: CustomerState; revision: bigint | 'no_stream' }>();
  for (let i = 0; i < touchpoints.length; i += chunk) {
    for (const tp of touchpoints.slice(i, i + chunk)) {
      const current = states.get(tp.customerId) ?? {
        state: foldCustomer([]),
        revision: 'no_stream' as const,
      };
      const events = decide(recordTouchpoint(tp, '2026-11-27T00:00:00.000Z', 'law'), current.state);
      const newEvents: NewEvent[] = events.map((e) => ({
        id: eventIdFor(e.metadata.source, e.data.touchpointId),
        type: e.type,
        data: e.data,
        metadata: { ...e.metadata },
      }));
      const result = await store.append(customerStreamName(tp.customerId), newEvents, {
        expectedRevision: current.revision,
      });
      states.set(tp.customerId, {
        state: events.reduce(evolve, current.state),
        revision: result.nextExpectedRevision,
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function everything(store: ReadStore) {
  return (await store.list(customerViewProjection.name, { limit: 100_000 })).records;
}
