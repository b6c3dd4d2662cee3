import fc from 'fast-check';
import {
  customerIdFromStream,
  customerStreamName,
  decide,
  eventIdFor,
  evolve,
  foldCustomer,
  recordTouchpoint,
  upcastCustomerEvent,
  type CustomerEvent,
  type CustomerState,
} from '@rapport/domain';
import { generateDemoHistory } from '@rapport/demo-data';
import { SqliteEventStore, type NewEvent } from '@rapport/event-store';
import {
  foldIdentityGraph,
  IDENTITY_GRAPH_STREAM,
  partitionOf,
  type IdentityEvent,
} from '@rapport/identity';
import { foldProjection } from '@rapport/projections';
import { merged, undone } from '@rapport/identity/testing';
import { MemoryReadStore, type ReadStore } from '@rapport/read-store';
import { parkedCollection } from '../parking/parked-customers';
import { PROJECTIONS } from '../projection-catalog';
import { Projector } from '../projector';

/** A merge of two customers, or the undo of an earlier merge, after `at` touchpoints. */
type GraphOp =
  | { readonly kind: 'merge'; readonly at: number; readonly a: number; readonly b: number }
  | { readonly kind: 'undo'; readonly at: number; readonly merge: number };

const graphOp: fc.Arbitrary<GraphOp> = fc.oneof(
  fc.record({
    kind: fc.constant('merge' as const),
    at: fc.nat(),
    a: fc.nat(5),
    b: fc.nat(5),
  }),
  fc.record({ kind: fc.constant('undo' as const), at: fc.nat(), merge: fc.nat(5) }),
);

/**
 * Laws of views that follow profiles, over every projection the platform keeps: whatever
 * merges and undos happen between the touchpoints, a replay from position 0 equals live; and
 * once every merge is undone, every record is what it would be had none been made.
 */
describe('Projector: views follow merged profiles', () => {
  it('replay equals live, and undoing every merge equals never merging', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 4 }),
        fc.array(graphOp, { maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (seed, customers, ops, liveBatch) => {
          const withMerges = await run(seed, customers, ops, 'merges', liveBatch);
          try {
            // (b) rebuild == live, records and positions and parked lists alike.
            const replayed = await replay(withMerges.store);
            expect(replayed).toEqual(await everything(withMerges.views));
            // (a) merge then undo == never merged: the same touchpoints at the same positions,
            // the graph's places taken by events that change no profile.
            const never = await run(seed, customers, ops, 'nothing', liveBatch);
            try {
              expect(valuesOf(await everything(withMerges.views))).toEqual(
                valuesOf(await everything(never.views)),
              );
            } finally {
              await never.store.close();
            }
          } finally {
            await withMerges.store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 300_000);

  it('a profile merged at any point holds every member stream, as if they had always been one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 4 }),
        fc.array(graphOp, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (seed, customers, ops, liveBatch) => {
          const { store, views } = await run(seed, customers, ops, 'merges', liveBatch, false);
          try {
            expect(valuesOf(await everything(views))).toEqual(await foldedByProfile(store));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 300_000);
});

/**
 * The reference: every customer event of the store, grouped by the profile its stream ends in,
 * folded from scratch in position order; absorbed customers have no record.
 */
async function foldedByProfile(store: SqliteEventStore) {
  const recorded = await store.readAll({ after: -1n, maxCount: 1_000_000 });
  const graph = foldIdentityGraph(
    recorded
      .filter((r) => r.streamName === IDENTITY_GRAPH_STREAM)
      .map((r) => ({ type: r.type, data: r.data }) as IdentityEvent),
  );
  const partition = partitionOf(graph);
  const byProfile = new Map<string, { events: CustomerEvent[]; positions: bigint[] }>();
  for (const one of recorded) {
    const customerId = customerIdFromStream(one.streamName);
    const event = customerId === undefined ? undefined : upcastCustomerEvent(one);
    if (!event) continue;
    const profile = partition.survivorOf(customerId!);
    let entry = byProfile.get(profile);
    if (!entry) byProfile.set(profile, (entry = { events: [], positions: [] }));
    entry.events.push(event);
    entry.positions.push(one.position);
  }
  const all: Record<string, { key: string; value: unknown }[]> = {};
  for (const projection of PROJECTIONS) {
    all[projection.name] = [...byProfile]
      .filter(([, { events }]) => events.some((e) => projection.canHandle(e)))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, { events, positions }]) => ({
        key,
        value: foldProjection(projection, key, events, undefined, positions),
      }));
    all[parkedCollection(projection.name)] = [];
  }
  return all;
}

/**
 * Appends the history with the graph events between its touchpoints (every merge undone at
 * the end unless told not to), or in `nothing` mode the same number of refusals in their places, and projects it
 * live.
 */
async function run(
  seed: number,
  customers: number,
  ops: readonly GraphOp[],
  mode: 'merges' | 'nothing',
  liveBatch: number,
  undoAtEnd = true,
): Promise<{ store: SqliteEventStore; views: MemoryReadStore }> {
  const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
  const views = new MemoryReadStore();
  const projector = new Projector(store, views, PROJECTIONS, {
    name: 'live',
    batchSize: liveBatch,
    maxBatchDelayMs: 1,
  });
  await projector.start();
  try {
    const touchpoints = [
      ...generateDemoHistory({ customers, months: 3, seed, endAt: '2026-11-27T00:00:00.000Z' }),
    ].sort((x, y) => (x.occurredAt < y.occurredAt ? -1 : 1));
    const ids = [...new Set(touchpoints.map((tp) => tp.customerId))].sort();
    const mergeIds: string[] = [];
    const live = new Set<string>();
    const graphEvent = async (op: GraphOp) => {
      let event;
      if (op.kind === 'merge') {
        const a = ids[op.a % ids.length];
        const b = ids[op.b % ids.length];
        if (a === b) return;
        const mergeId = `m-${mergeIds.length}`;
        mergeIds.push(mergeId);
        live.add(mergeId);
        event = merged(mergeId, a, b);
      } else {
        if (mergeIds.length === 0) return;
        const mergeId = mergeIds[op.merge % mergeIds.length];
        live.delete(mergeId);
        event = undone(mergeId);
      }
      const placeholder = {
        type: 'MergeRefused',
        data: { refusalId: `r-${mergeIds.length}-${live.size}`, profiles: [] },
      };
      const chosen = mode === 'merges' ? event : placeholder;
      await store.append(
        IDENTITY_GRAPH_STREAM,
        [{ id: randomId(), type: chosen.type, data: { ...chosen.data }, metadata: {} }],
        { expectedRevision: 'any' },
      );
    };
    const byAt = [...ops].sort(
      (x, y) => (x.at % (touchpoints.length + 1)) - (y.at % (touchpoints.length + 1)),
    );
    let next = 0;
    const states = new Map<string, { state: CustomerState; revision: bigint | 'no_stream' }>();
    for (let i = 0; i <= touchpoints.length; i += 1) {
      while (next < byAt.length && byAt[next].at % (touchpoints.length + 1) === i)
        await graphEvent(byAt[next++]);
      if (i === touchpoints.length) break;
      const tp = touchpoints[i];
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
    if (undoAtEnd)
      for (const mergeId of [...live].sort())
        await graphEvent({ kind: 'undo', at: 0, merge: mergeIds.indexOf(mergeId) });
    expect(await projector.waitFor(await store.headPosition(), 20_000)).toBe(true);
  } finally {
    await projector.stop();
  }
  return { store, views };
}

async function replay(store: SqliteEventStore) {
  const rebuilt = new MemoryReadStore();
  const projector = new Projector(store, rebuilt, PROJECTIONS, {
    name: 'replay',
    batchSize: 1_000,
    maxBatchDelayMs: 1,
  });
  await projector.start();
  expect(await projector.waitFor(await store.headPosition(), 20_000)).toBe(true);
  await projector.stop();
  return everything(rebuilt);
}

async function everything(store: ReadStore) {
  const all: Record<string, unknown> = {};
  for (const projection of PROJECTIONS)
    for (const collection of [projection.name, parkedCollection(projection.name)])
      all[collection] = (await store.list(collection, { limit: 100_000 })).records;
  return all;
}

/** Each record's value by key: positions differ where the graph's events were refolded. */
function valuesOf(all: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(all).map(([collection, records]) => [
      collection,
      (records as { key: string; value: unknown }[]).map(({ key, value }) => ({ key, value })),
    ]),
  );
}

let counter = 0;
function randomId(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}
