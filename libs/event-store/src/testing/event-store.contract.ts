import { randomUUID } from 'node:crypto';
import {
  EventIdTakenError,
  PrerequisiteRefusedError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';

/** Creates a fresh store for one test; closed by the suite after the test. */
export type EventStoreFactory = () => Promise<EventStore>;

export interface EventStoreContractTarget {
  readonly factory: EventStoreFactory;
  /**
   * A new store over the same data as the one given (closed already), as a restarted process
   * opens it. Without it, `factory` must give one (a new client of the same server).
   */
  readonly reopen?: (closed: EventStore) => Promise<EventStore>;
  readonly teardown?: () => Promise<void>;
}

export interface EventStoreContractOptions {
  /**
   * The engine writes no two streams in one transaction (EventStoreDB): an appendMany's
   * prerequisites accepted beside a refused one stay written (AppendManyOptions).
   */
  readonly writesStreamsApart?: boolean;
}

export function newEvent(type = 'Tested', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { value: randomUUID(), ...data },
    metadata: { test: true },
  };
}

/** Unique per call so that suites can share one server. */
export function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID().replace(/-/g, '')}`;
}

async function take(
  iterable: AsyncIterable<RecordedEvent>,
  count: number,
  filter: (e: RecordedEvent) => boolean,
) {
  const seen: RecordedEvent[] = [];
  if (count === 0) return seen;
  for await (const event of iterable) {
    if (!filter(event)) continue;
    seen.push(event);
    if (seen.length >= count) break;
  }
  return seen;
}

/**
 * The behaviour every EventStore adapter must show. Call it inside a describe block that
 * decides availability (see describeIfAvailable in @rapport/test-support).
 */
export function describeEventStoreContract(
  target: () => EventStoreContractTarget,
  options: EventStoreContractOptions = {},
): void {
  describe('EventStore contract', () => {
    let resolved: EventStoreContractTarget;
    let store: EventStore;

    beforeAll(() => {
      resolved = target();
    });

    afterAll(async () => {
      await resolved?.teardown?.();
    });

    beforeEach(async () => {
      store = await resolved.factory();
    });

    afterEach(async () => {
      await store.close();
    });

    const contract = (title: string, body: () => Promise<void>) => it(title, body, 30_000);

    describe('when appending', () => {
      contract('starts a new stream at revision 0 with no_stream', async () => {
        const stream = uniqueStream();
        const result = await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(0n);
        expect(result.position).toBeGreaterThanOrEqual(0n);
      });

      contract('continues with the exact revision of the last event', async () => {
        const stream = uniqueStream();
        const first = await store.append(stream, [newEvent(), newEvent()], {
          expectedRevision: 'no_stream',
        });
        expect(first.nextExpectedRevision).toBe(1n);
        const second = await store.append(stream, [newEvent()], { expectedRevision: 1n });
        expect(second.nextExpectedRevision).toBe(2n);
        expect(second.position).toBeGreaterThan(first.position);
      });

      contract(
        'rejects a stale expected revision with a retryable conflict and writes nothing',
        async () => {
          const stream = uniqueStream();
          await store.append(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
          const conflict = store.append(stream, [newEvent()], { expectedRevision: 0n });
          await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await expect(conflict).rejects.toMatchObject({ retryable: true, streamName: stream });
          expect(await store.readStream(stream)).toHaveLength(2);
        },
      );

      contract(
        'rejects no_stream on an existing stream and stream_exists on a missing one',
        async () => {
          const stream = uniqueStream();
          await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
          await expect(
            store.append(stream, [newEvent()], { expectedRevision: 'no_stream' }),
          ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await expect(
            store.append(uniqueStream(), [newEvent()], { expectedRevision: 'stream_exists' }),
          ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          const ok = await store.append(stream, [newEvent()], {
            expectedRevision: 'stream_exists',
          });
          expect(ok.nextExpectedRevision).toBe(1n);
        },
      );

      contract('accepts any revision with any', async () => {
        const stream = uniqueStream();
        await store.append(stream, [newEvent()], { expectedRevision: 'any' });
        const result = await store.append(stream, [newEvent()], { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      contract('writes an event only once when the same ids are appended again', async () => {
        const stream = uniqueStream();
        const events = [newEvent(), newEvent()];
        const first = await store.append(stream, events, { expectedRevision: 'no_stream' });
        const again = await store.append(stream, events, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        const third = await store.append(stream, events, { expectedRevision: 'any' });
        expect(third.nextExpectedRevision).toBe(first.nextExpectedRevision);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      });

      contract('acknowledges a repeat after later appends without writing it again', async () => {
        const stream = uniqueStream();
        const batch = [newEvent()];
        await store.append(stream, batch, { expectedRevision: 'no_stream' });
        await store.append(stream, [newEvent()], { expectedRevision: 0n });
        const repeat = await store.append(stream, batch, { expectedRevision: 'no_stream' });
        expect(repeat.nextExpectedRevision).toBe(0n);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      contract('judges each request of appendMany on its own', async () => {
        const a = uniqueStream();
        const b = uniqueStream();
        await store.append(b, [newEvent()], { expectedRevision: 'no_stream' });
        const outcomes = await store.appendMany([
          { streamName: a, events: [newEvent(), newEvent()], expectedRevision: 'no_stream' },
          { streamName: b, events: [newEvent()], expectedRevision: 'no_stream' },
          { streamName: b, events: [newEvent()], expectedRevision: 0n },
        ]);
        expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
        const failed = outcomes[1];
        expect(!failed.ok && failed.error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(2);
      });

      contract(
        'writes the requests after the prerequisites only when all were accepted',
        async () => {
          const taken = uniqueStream();
          await store.append(taken, [newEvent()], { expectedRevision: 'no_stream' });
          const [free, dependent, later] = [uniqueStream(), uniqueStream(), uniqueStream()];
          const refused = await store.appendMany(
            [
              { streamName: free, events: [newEvent()], expectedRevision: 'no_stream' },
              { streamName: taken, events: [newEvent()], expectedRevision: 'no_stream' },
              { streamName: dependent, events: [newEvent()], expectedRevision: 'no_stream' },
            ],
            { prerequisites: 2 },
          );
          expect(!refused[1].ok && refused[1].error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(!refused[2].ok && refused[2].error).toBeInstanceOf(PrerequisiteRefusedError);
          expect(!refused[2].ok && refused[2].error).toMatchObject({
            code: 'PREREQUISITE_REFUSED',
            retryable: true,
            streamName: dependent,
            refusedStreams: [taken],
          });
          expect(await store.readStream(dependent)).toEqual([]);
          const accepted = await store.appendMany(
            [
              { streamName: later, events: [newEvent()], expectedRevision: 'no_stream' },
              { streamName: dependent, events: [newEvent()], expectedRevision: 'no_stream' },
            ],
            { prerequisites: 1 },
          );
          expect(accepted.map((o) => o.ok)).toEqual([true, true]);
          expect(await store.readStream(dependent)).toHaveLength(1);
        },
      );

      if (options.writesStreamsApart) {
        contract(
          'leaves the prerequisites accepted beside a refused one written (no multi-stream transaction)',
          async () => {
            const taken = uniqueStream();
            await store.append(taken, [newEvent()], { expectedRevision: 'no_stream' });
            const [free, dependent] = [uniqueStream(), uniqueStream()];
            const outcomes = await store.appendMany(
              [
                { streamName: free, events: [newEvent()], expectedRevision: 'no_stream' },
                { streamName: taken, events: [newEvent()], expectedRevision: 'no_stream' },
                { streamName: dependent, events: [newEvent()], expectedRevision: 'no_stream' },
              ],
              { prerequisites: 2 },
            );
            expect(outcomes.map((o) => o.ok)).toEqual([true, false, false]);
            expect(await store.readStream(free)).toHaveLength(1);
          },
        );
      } else {
        contract(
          'writes the prerequisites all or none: one refused, none is written, each says why',
          async () => {
            const conflicting = uniqueStream();
            const existing = uniqueStream();
            await store.append(conflicting, [newEvent()], { expectedRevision: 'no_stream' });
            await store.append(existing, [newEvent()], { expectedRevision: 'no_stream' });
            const [fresh, dependent] = [uniqueStream(), uniqueStream()];
            const outcomes = await store.appendMany(
              [
                { streamName: fresh, events: [newEvent()], expectedRevision: 'no_stream' },
                { streamName: existing, events: [newEvent()], expectedRevision: 0n },
                { streamName: conflicting, events: [newEvent()], expectedRevision: 'no_stream' },
                { streamName: dependent, events: [newEvent()], expectedRevision: 'no_stream' },
              ],
              { prerequisites: 3 },
            );
            expect(outcomes.map((o) => o.ok)).toEqual([false, false, false, false]);
            const [a, b, c, d] = outcomes.map((o) => (o.ok ? undefined : o.error));
            expect(c).toBeInstanceOf(WrongExpectedRevisionError);
            for (const [error, streamName] of [
              [a, fresh],
              [b, existing],
              [d, dependent],
            ] as const) {
              expect(error).toBeInstanceOf(PrerequisiteRefusedError);
              expect(error).toMatchObject({ streamName, refusedStreams: [conflicting] });
              expect(error?.message).toContain(conflicting);
            }
            expect(await store.readStream(fresh)).toEqual([]);
            expect(await store.readStream(existing)).toHaveLength(1);
            expect(await store.readStream(dependent)).toEqual([]);
            // Nothing of the rolled-back prerequisites is remembered: the same appends now pass.
            const retried = await store.appendMany(
              [
                { streamName: fresh, events: [newEvent()], expectedRevision: 'no_stream' },
                { streamName: existing, events: [newEvent()], expectedRevision: 0n },
                { streamName: dependent, events: [newEvent()], expectedRevision: 'no_stream' },
              ],
              { prerequisites: 2 },
            );
            expect(retried.map((o) => o.ok && o.result.nextExpectedRevision)).toEqual([0n, 1n, 0n]);
            expect(await store.readStream(existing)).toHaveLength(2);
          },
        );
      }

      contract('keeps data and metadata intact, unicode included', async () => {
        const stream = uniqueStream();
        const event: NewEvent = {
          id: randomUUID(),
          type: 'Stored',
          data: {
            text: 'Zoë 🚀 — "quoted" \\ back',
            nested: { list: [1, 2, { deep: null }] },
            minor: 4999,
          },
          metadata: { schemaVersion: 1, source: 'pos' },
        };
        await store.append(stream, [event], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect(read).toMatchObject({
          id: event.id,
          type: 'Stored',
          streamName: stream,
          revision: 0n,
        });
        expect(read.data).toEqual(event.data);
        expect(read.metadata).toMatchObject(event.metadata);
        expect(read.recordedAt).toBeInstanceOf(Date);
      });
    });

    describe('when an event id is already in another stream', () => {
      const expectTaken = (outcome: unknown, streamName: string, taken: object[]) => {
        expect(outcome).toBeInstanceOf(EventIdTakenError);
        expect(outcome).toMatchObject({ code: 'EVENT_ID_TAKEN', retryable: false, streamName });
        expect((outcome as EventIdTakenError).taken).toEqual(taken);
      };

      contract('refuses the whole append, names every taken id and its stream', async () => {
        const first = uniqueStream();
        const second = uniqueStream();
        const shared = [newEvent(), newEvent()];
        await store.append(first, shared, { expectedRevision: 'no_stream' });
        const refused = await store
          .append(second, [newEvent(), shared[1], shared[0]], { expectedRevision: 'no_stream' })
          .catch((error: unknown) => error);
        expectTaken(refused, second, [
          { eventId: shared[1].id, streamName: first },
          { eventId: shared[0].id, streamName: first },
        ]);
        expect(await store.readStream(second)).toEqual([]);
        expect((await store.readStream(first)).map((e) => e.id)).toEqual(shared.map((e) => e.id));
        const onExisting = await store
          .append(second, [newEvent()], { expectedRevision: 'no_stream' })
          .then(() => store.append(second, [shared[0]], { expectedRevision: 0n }))
          .catch((error: unknown) => error);
        expectTaken(onExisting, second, [{ eventId: shared[0].id, streamName: first }]);
        expect(await store.readStream(second)).toHaveLength(1);
      });

      contract('refuses it across appendMany calls, judging the other requests alone', async () => {
        const first = uniqueStream();
        const second = uniqueStream();
        const other = uniqueStream();
        const shared = newEvent();
        await store.appendMany([
          { streamName: first, events: [shared], expectedRevision: 'no_stream' },
        ]);
        const outcomes = await store.appendMany([
          { streamName: second, events: [shared], expectedRevision: 'no_stream' },
          { streamName: other, events: [newEvent()], expectedRevision: 'no_stream' },
        ]);
        expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
        expectTaken(!outcomes[0].ok && outcomes[0].error, second, [
          { eventId: shared.id, streamName: first },
        ]);
        expect(await store.readStream(second)).toEqual([]);
        expect(await store.readStream(other)).toHaveLength(1);
      });

      contract('writes a new id sent for two streams in one appendMany once', async () => {
        const a = uniqueStream();
        const b = uniqueStream();
        const shared = newEvent();
        const outcomes = await store.appendMany([
          { streamName: a, events: [shared], expectedRevision: 'no_stream' },
          { streamName: b, events: [shared], expectedRevision: 'no_stream' },
        ]);
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        const written = outcomes[0].ok ? a : b;
        const refused = outcomes[0].ok ? outcomes[1] : outcomes[0];
        expectTaken(!refused.ok && refused.error, written === a ? b : a, [
          { eventId: shared.id, streamName: written },
        ]);
        const all = (await store.readAll()).filter((e) => e.id === shared.id);
        expect(all.map((e) => e.streamName)).toEqual([written]);
      });

      contract('still acknowledges a repeat in the stream that holds the id', async () => {
        const first = uniqueStream();
        const shared = newEvent();
        const written = await store.append(first, [shared], { expectedRevision: 'no_stream' });
        await expect(
          store.append(uniqueStream(), [shared], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(EventIdTakenError);
        const again = await store.append(first, [shared], { expectedRevision: 'no_stream' });
        expect(again).toEqual(written);
        expect(await store.readStream(first)).toHaveLength(1);
      });

      contract('refuses it after the store is reopened', async () => {
        const first = uniqueStream();
        const second = uniqueStream();
        const shared = newEvent();
        await store.append(first, [shared], { expectedRevision: 'no_stream' });
        await store.close();
        store = resolved.reopen ? await resolved.reopen(store) : await resolved.factory();
        const refused = await store
          .append(second, [shared], { expectedRevision: 'no_stream' })
          .catch((error: unknown) => error);
        expectTaken(refused, second, [{ eventId: shared.id, streamName: first }]);
        expect(await store.readStream(second)).toEqual([]);
        const repeat = await store.append(first, [shared], { expectedRevision: 'no_stream' });
        expect(repeat.nextExpectedRevision).toBe(0n);
      });
    });

    describe('identity', () => {
      contract('is the same on every call, and is not an event any read shows', async () => {
        const head = await store.headPosition();
        const [first, second] = await Promise.all([store.identity(), store.identity()]);
        expect(first).toMatch(/^[0-9a-f-]{36}$/);
        expect(second).toBe(first);
        expect(await store.identity()).toBe(first);
        expect(await store.headPosition()).toBe(head);
        const after = await store.readAll({ after: head });
        expect(after).toEqual([]);
      });
    });

    describe('when reading a stream', () => {
      contract('returns nothing for a stream that does not exist', async () => {
        expect(await store.readStream(uniqueStream())).toEqual([]);
      });

      contract('reads from the middle, forwards and backwards, with a max count', async () => {
        const stream = uniqueStream();
        const events = Array.from({ length: 10 }, () => newEvent());
        await store.append(stream, events, { expectedRevision: 'no_stream' });
        const middle = await store.readStream(stream, { fromRevision: 4n, maxCount: 3 });
        expect(middle.map((e) => e.revision)).toEqual([4n, 5n, 6n]);
        expect(middle.map((e) => e.id)).toEqual(events.slice(4, 7).map((e) => e.id));
        const backwards = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        expect(backwards.map((e) => e.revision)).toEqual([9n, 8n]);
        const backFrom = await store.readStream(stream, {
          direction: 'backwards',
          fromRevision: 3n,
        });
        expect(backFrom.map((e) => e.revision)).toEqual([3n, 2n, 1n, 0n]);
      });
    });

    describe('when reading all streams', () => {
      contract(
        'orders events of interleaved streams by commit, with increasing positions',
        async () => {
          const before = await store.headPosition();
          const a = uniqueStream();
          const b = uniqueStream();
          const order: string[] = [];
          let revA: bigint | 'no_stream' = 'no_stream';
          let revB: bigint | 'no_stream' = 'no_stream';
          for (let i = 0; i < 6; i++) {
            const event = newEvent();
            order.push(event.id);
            if (i % 2 === 0)
              revA = (await store.append(a, [event], { expectedRevision: revA }))
                .nextExpectedRevision;
            else
              revB = (await store.append(b, [event], { expectedRevision: revB }))
                .nextExpectedRevision;
          }
          const all = (await store.readAll({ after: before })).filter(
            (e) => e.streamName === a || e.streamName === b,
          );
          expect(all.map((e) => e.id)).toEqual(order);
          for (let i = 1; i < all.length; i++)
            expect(all[i].position).toBeGreaterThan(all[i - 1].position);
          expect(await store.headPosition()).toBeGreaterThanOrEqual(all[all.length - 1].position);
        },
      );

      contract('reads from the middle with a max count', async () => {
        const stream = uniqueStream();
        await store.append(
          stream,
          Array.from({ length: 5 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const mine = (await store.readAll({ after: -1n })).filter((e) => e.streamName === stream);
        const page = await store.readAll({ after: mine[1].position, maxCount: 2 });
        expect(page).toHaveLength(2);
        expect(page[0].position).toBeGreaterThan(mine[1].position);
        const mineAfter = (await store.readAll({ after: mine[1].position })).filter(
          (e) => e.streamName === stream,
        );
        expect(mineAfter.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
      });
    });

    describe('when reading more than one page', () => {
      contract('returns every event once, in order', async () => {
        const stream = uniqueStream();
        const start = await store.headPosition();
        const events = Array.from({ length: 2_500 }, () => newEvent());
        for (let i = 0; i < events.length; i += 500) {
          await store.append(stream, events.slice(i, i + 500), {
            expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1),
          });
        }
        const read = (await store.readAll({ after: start })).filter((e) => e.streamName === stream);
        expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
        const limited = await store.readAll({ after: start, maxCount: 1_700 });
        expect(new Set(limited.map((e) => e.id)).size).toBe(limited.length);
        expect(limited).toHaveLength(1_700);
      });
    });

    describe('when subscribing to all', () => {
      contract('delivers history, then live events, in order without gaps or repeats', async () => {
        const stream = uniqueStream();
        const start = await store.headPosition();
        const history = Array.from({ length: 25 }, () => newEvent());
        await store.append(stream, history, { expectedRevision: 'no_stream' });

        const subscription = store.subscribeToAll({ after: start });
        const live = Array.from({ length: 25 }, () => newEvent());
        const received = take(subscription, 50, (e) => e.streamName === stream);
        let revision = 24n;
        for (const event of live) {
          revision = (await store.append(stream, [event], { expectedRevision: revision }))
            .nextExpectedRevision;
        }
        const events = await received;
        await subscription.close();
        expect(events.map((e) => e.id)).toEqual([...history, ...live].map((e) => e.id));
      });

      contract('keeps up while appends happen during catch-up', async () => {
        const streams = [uniqueStream(), uniqueStream(), uniqueStream()];
        const start = await store.headPosition();
        const expected: string[] = [];
        const revisions = new Map<string, bigint | 'no_stream'>(
          streams.map((s) => [s, 'no_stream']),
        );
        const appendRound = async () => {
          for (const s of streams) {
            const batch = [newEvent(), newEvent()];
            expected.push(...batch.map((e) => e.id));
            const result = await store.append(s, batch, { expectedRevision: revisions.get(s)! });
            revisions.set(s, result.nextExpectedRevision);
          }
        };
        for (let round = 0; round < 20; round++) await appendRound();

        const subscription = store.subscribeToAll({ after: start });
        const mine = new Set(streams);
        const received = take(subscription, 240, (e) => mine.has(e.streamName));
        for (let round = 0; round < 20; round++) await appendRound();
        const events = await received;
        await subscription.close();
        expect(events.map((e) => e.id)).toEqual(expected);
        const positions = events.map((e) => e.position);
        expect([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(positions);
      });

      contract('resumes strictly after a checkpoint position', async () => {
        const stream = uniqueStream();
        await store.append(
          stream,
          Array.from({ length: 6 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const mine = (await store.readStream(stream)).map((e) => e.position);
        const subscription = store.subscribeToAll({ after: mine[2] });
        const events = await take(subscription, 3, (e) => e.streamName === stream);
        await subscription.close();
        expect(events.map((e) => e.revision)).toEqual([3n, 4n, 5n]);
      });

      contract('ends iteration when closed', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const iterating = (async () => {
          const seen: RecordedEvent[] = [];
          for await (const event of subscription) seen.push(event);
          return seen;
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        await expect(iterating).resolves.toBeDefined();
      });
    });
  });
}
