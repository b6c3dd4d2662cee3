import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { customerStreamName } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
import { ChangesAfterCursor } from './changes-after-cursor';

const CUSTOMERS = ['C-A', 'C-B', 'C-C', 'C-D', 'C-E'];
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);
const BOUNDARIES = [-1, 0, 1, 2, 4, 7, 12].map((d) =>
  new Date(START + d * 86_400_000).toISOString(),
);

type Op =
  | {
      readonly kind: 'event';
      readonly customer: number;
      /** Hours after START; null: no readable event time. */
      readonly hours: number | null;
    }
  | { readonly kind: 'merge'; readonly a: number; readonly b: number }
  | { readonly kind: 'undo'; readonly pick: number }
  /** The cursor moves `by` events of the log forward (at most to its head). */
  | { readonly kind: 'move'; readonly by: number }
  /** What was appended since is read, the cursor where it is. */
  | { readonly kind: 'look' };

const customer = fc.nat(CUSTOMERS.length - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      customer,
      hours: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 0, max: 240 }) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('merge' as const), a: customer, b: customer }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), by: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('look' as const) }) },
);

/** All a boundary's evaluation asks of it: compared between a carried and a fresh one. */
function seen(changes: ChangesAfterCursor) {
  const survivors = CUSTOMERS.map((c) => changes.partition.survivorOf(c));
  return {
    readUpTo: changes.readUpTo,
    readTo: changes.readTo,
    due: BOUNDARIES.map((boundary) => changes.dueFor(boundary)),
    regrouped: [...changes.regrouped()].sort(),
    survivors,
    members: [...new Set(survivors)].map((s) => changes.partition.membersOf(s)),
  };
}

describe('what the log holds after the cursor, carried from cursor to cursor', () => {
  let dir: string;
  let runs = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-changes-after-cursor-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals a fresh read at every cursor, for any log of events (late ones, ones without a time), merges and undos on both sides of the cursor', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        runs += 1;
        const store = new SqliteEventStore({ path: join(dir, `${runs}.db`), pollIntervalMs: 10 });
        try {
          const merges: string[] = [];
          let n = 0;
          let cursor = -1n;
          const carried = await ChangesAfterCursor.read(store, cursor);
          for (const step of ops) {
            n += 1;
            if (step.kind === 'event') {
              const data =
                step.hours === null
                  ? {}
                  : { occurredAt: new Date(START + step.hours * HOUR).toISOString() };
              await store.append(
                customerStreamName(CUSTOMERS[step.customer]),
                [{ id: `event-${n}`, type: 'TouchpointRecorded', data, metadata: {} }],
                { expectedRevision: 'any' },
              );
            } else if (step.kind === 'merge' || step.kind === 'undo') {
              if (step.kind === 'merge' && step.a === step.b) continue;
              if (step.kind === 'undo' && merges.length === 0) continue;
              const event =
                step.kind === 'merge'
                  ? merged(`m-${n}`, CUSTOMERS[step.a], CUSTOMERS[step.b])
                  : undone(merges.splice(step.pick % merges.length, 1)[0]);
              if (step.kind === 'merge') merges.push(`m-${n}`);
              await store.append(
                IDENTITY_GRAPH_STREAM,
                [{ id: `graph-${n}`, type: event.type, data: { ...event.data }, metadata: {} }],
                { expectedRevision: 'any' },
              );
            } else if (step.kind === 'look') {
              await carried.readAppended(store);
              expect(seen(carried)).toEqual(seen(await ChangesAfterCursor.read(store, cursor)));
            } else {
              const log = await store.readAll();
              const at = log.findIndex((e) => e.position > cursor);
              if (at >= 0 && step.by > 0)
                cursor = log[Math.min(log.length - 1, at + step.by - 1)].position;
              expect(await carried.moveTo(store, cursor)).toBe(true);
              expect(seen(carried)).toEqual(seen(await ChangesAfterCursor.read(store, cursor)));
            }
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: Number(process.env.CHANGES_AFTER_CURSOR_RUNS ?? 60) },
    );
  }, 300_000);

  it('given the cursor gone back (the ledger rebuilt), then it is not carried: the caller reads afresh', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'back.db'), pollIntervalMs: 10 });
    try {
      for (const id of ['e-1', 'e-2'])
        await store.append(
          customerStreamName('C-A'),
          [{ id, type: 'TouchpointRecorded', data: { occurredAt: BOUNDARIES[1] }, metadata: {} }],
          { expectedRevision: 'any' },
        );
      const [first, second] = await store.readAll();
      const carried = await ChangesAfterCursor.read(store, second.position);

      expect(await carried.moveTo(store, first.position)).toBe(false);
      expect(carried.readUpTo).toBe(second.position);
    } finally {
      await store.close();
    }
  });
});
