import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { EventStoreDbStandIn } from './eventstoredb-standin.server';

/**
 * The stand-in's own fidelity, through the raw client: behaviour the Rapport adapter does not
 * use but a future caller might, checked against EventStoreDB's documented semantics.
 */
describe('EventStoreDbStandIn', () => {
  let standIn: EventStoreDbStandIn;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    standIn = await EventStoreDbStandIn.start();
    client = EventStoreDBClient.connectionString(standIn.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await standIn.stop();
  });

  const stream = (prefix = 'standin') => `${prefix}-${randomUUID().replace(/-/g, '')}`;
  const event = (type = 'Tested', data: Record<string, unknown> = {}) =>
    jsonEvent({ id: randomUUID(), type, data: { ...data, n: randomUUID() } });
  const collect = async <T>(read: AsyncIterable<T>) => {
    const items: T[] = [];
    for await (const item of read) items.push(item);
    return items;
  };
  const until = async (condition: () => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const ids = (events: Array<ResolvedEvent | AllStreamResolvedEvent>) =>
    events.map((e) => e.event!.id);

  describe('when asked for server features', () => {
    it('lists Read and Append but not BatchAppend, so the client appends with Append', async () => {
      const features = new ServerFeaturesClient(
        `127.0.0.1:${standIn.port}`,
        grpc.credentials.createInsecure(),
      );
      const methods = await new Promise<SupportedMethods>((resolve, reject) =>
        features.getSupportedMethods(new Empty(), (error, response) =>
          error ? reject(error) : resolve(response),
        ),
      );
      features.close();
      const names = methods
        .getMethodsList()
        .map((m) => `${m.getServiceName()}/${m.getMethodName()}`);
      expect(names).toContain('event_store.client.streams.streams/read');
      expect(names).toContain('event_store.client.streams.streams/append');
      expect(names).not.toContain('event_store.client.streams.streams/batchappend');
    });
  });

  describe('when appending', () => {
    it('numbers revisions from 0 and gives each event its own increasing position', async () => {
      const name = stream();
      const first = await client.appendToStream(name, [event(), event()], {
        expectedRevision: 'no_stream',
      });
      const second = await client.appendToStream(name, event(), { expectedRevision: 1n });
      expect(first.nextExpectedRevision).toBe(1n);
      expect(second.nextExpectedRevision).toBe(2n);
      const read = await collect(client.readStream(name));
      expect(read.map((e) => e.event!.revision)).toEqual([0n, 1n, 2n]);
      const positions = read.map((e) => e.event!.position!);
      for (const position of positions) expect(position.commit).toBe(position.prepare);
      expect(positions[0].commit).toBeLessThan(positions[1].commit);
      expect(positions[1].commit).toBeLessThan(positions[2].commit);
      expect(first.position!.commit).toBe(positions[1].commit);
      expect(second.position!.commit).toBe(positions[2].commit);
    });

    it('accepts stream_exists only on a stream that exists', async () => {
      const name = stream();
      const missing = client.appendToStream(name, event(), { expectedRevision: 'stream_exists' });
      await expect(missing).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(missing).rejects.toMatchObject({
        streamName: name,
        expectedVersion: 'stream_exists',
        actualVersion: 'no_stream',
      });
      await client.appendToStream(name, event(), { expectedRevision: 'no_stream' });
      const ok = await client.appendToStream(name, event(), { expectedRevision: 'stream_exists' });
      expect(ok.nextExpectedRevision).toBe(1n);
    });

    it('reports the actual revision on a conflict', async () => {
      const name = stream();
      await client.appendToStream(name, [event(), event(), event()]);
      await expect(
        client.appendToStream(name, event(), { expectedRevision: 0n }),
      ).rejects.toMatchObject({ expectedVersion: 0n, actualVersion: 2n });
      await expect(
        client.appendToStream(name, event(), { expectedRevision: 7n }),
      ).rejects.toMatchObject({ expectedVersion: 7n, actualVersion: 2n });
    });

    it('acknowledges a retried batch without writing it twice, under any and exact', async () => {
      const name = stream();
      const batch = [event(), event()];
      const first = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
      await client.appendToStream(name, event(), { expectedRevision: 1n });
      const exact = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
      const any = await client.appendToStream(name, batch, { expectedRevision: 'any' });
      expect(exact).toEqual(first);
      expect(any).toEqual(first);
      expect(await collect(client.readStream(name))).toHaveLength(3);
    });

    it('rejects a batch that repeats only part of what was written', async () => {
      const name = stream();
      const [a, b] = [event(), event()];
      await client.appendToStream(name, [a], { expectedRevision: 'no_stream' });
      await client.appendToStream(name, event(), { expectedRevision: 0n });
      await expect(
        client.appendToStream(name, [a, b], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(
        client.appendToStream(name, [a, b], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await collect(client.readStream(name))).toHaveLength(2);
    });
  });

  describe('when reading a stream', () => {
    it('answers StreamNotFound for a stream that does not exist', async () => {
      await expect(collect(client.readStream(stream()))).rejects.toBeInstanceOf(
        StreamNotFoundError,
      );
    });

    it('reads backwards from the end and from a revision past the end', async () => {
      const name = stream();
      await client.appendToStream(name, [event(), event(), event(), event()]);
      const fromEnd = await collect(
        client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 3 }),
      );
      expect(fromEnd.map((e) => e.event!.revision)).toEqual([3n, 2n, 1n]);
      const pastEnd = await collect(
        client.readStream(name, { direction: BACKWARDS, fromRevision: 10n }),
      );
      expect(pastEnd.map((e) => e.event!.revision)).toEqual([3n, 2n, 1n, 0n]);
      const beyond = await collect(
        client.readStream(name, { direction: FORWARDS, fromRevision: 10n }),
      );
      expect(beyond).toEqual([]);
    });
  });

  describe('when reading $all', () => {
    it('holds the system events a fresh node writes', async () => {
      const all = await collect(client.readAll({ fromPosition: START, maxCount: 100 }));
      const types = all.map((e) => e.event!.type);
      expect(types).toContain('$metadata');
      expect(types).toContain('$statsCollected');
      expect(
        all.every((e) => e.event!.type !== '$metadata' || e.event!.streamId.startsWith('$')),
      ).toBe(true);
    });

    it('includes the event at the position forwards and excludes it backwards', async () => {
      const name = stream();
      await client.appendToStream(name, [event(), event(), event()]);
      const mine = await collect(client.readStream(name));
      const middle = mine[1].event!.position!;
      const forwards = await collect(client.readAll({ fromPosition: middle, maxCount: 2 }));
      expect(ids(forwards)).toEqual(ids(mine.slice(1)));
      const backwards = await collect(
        client.readAll({ direction: BACKWARDS, fromPosition: middle, maxCount: 1 }),
      );
      expect(ids(backwards)).toEqual(ids(mine.slice(0, 1)));
    });

    it('reads backwards from the end in descending position order', async () => {
      const name = stream();
      await client.appendToStream(name, [event(), event()]);
      const tail = await collect(
        client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 5 }),
      );
      expect(tail[0].event!.streamId).toBe(name);
      expect(tail[0].event!.revision).toBe(1n);
      const commits = tail.map((e) => e.commitPosition!);
      for (let i = 1; i < commits.length; i++) expect(commits[i]).toBeLessThan(commits[i - 1]);
    });
  });

  describe('when subscribing to $all', () => {
    it('delivers history, says it caught up, then delivers live events', async () => {
      const name = stream();
      const history = [event(), event()];
      await client.appendToStream(name, history);
      const subscription = client.subscribeToAll({ fromPosition: START });
      const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', resolve));
      const live = [event(), event()];
      const seen: string[] = [];
      let wroteLive = false;
      for await (const resolved of subscription) {
        if (resolved.event?.streamId !== name) continue;
        seen.push(resolved.event.id);
        if (seen.length === history.length && !wroteLive) {
          wroteLive = true;
          await caughtUp;
          await client.appendToStream(name, live, { expectedRevision: 1n });
        }
        if (seen.length === 4) break;
      }
      await subscription.unsubscribe();
      expect(seen).toEqual([...history, ...live].map((e) => e.id));
    });

    it('starts strictly after the given position', async () => {
      const name = stream();
      await client.appendToStream(name, [event(), event(), event()]);
      const mine = await collect(client.readStream(name));
      const subscription = client.subscribeToAll({ fromPosition: mine[0].event!.position! });
      const seen: bigint[] = [];
      for await (const resolved of subscription) {
        if (resolved.event?.streamId !== name) continue;
        seen.push(resolved.event.revision);
        if (seen.length === 2) break;
      }
      await subscription.unsubscribe();
      expect(seen).toEqual([1n, 2n]);
    });

    it('leaves out system events with excludeSystemEvents', async () => {
      const subscription = client.subscribeToAll({
        fromPosition: START,
        filter: excludeSystemEvents(),
      });
      const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', resolve));
      const seen: string[] = [];
      const reading = (async () => {
        for await (const resolved of subscription) seen.push(resolved.event!.type);
      })();
      await caughtUp;
      await subscription.unsubscribe();
      await reading;
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((type) => type.startsWith('$'))).toBe(false);
    });

    it('filters by event-type prefix and sends checkpoints while catching up and live', async () => {
      const wanted = `Wanted${randomUUID().replace(/-/g, '')}`;
      const name = stream();
      await client.appendToStream(
        name,
        Array.from({ length: 70 }, () => event('Noise')),
      );
      await client.appendToStream(name, [event(wanted), event(wanted)]);

      let live = false;
      const checkpoints: Array<{ position: Position; live: boolean }> = [];
      const received: AllStreamResolvedEvent[] = [];
      const subscription = client.subscribeToAll({
        fromPosition: START,
        filter: eventTypeFilter({
          prefixes: [wanted],
          checkpointReached: (_subscription, position) => {
            checkpoints.push({ position, live });
          },
        }),
      });
      subscription.on('caughtUp', () => (live = true));
      subscription.on('data', (resolved: AllStreamResolvedEvent) => received.push(resolved));
      await until(() => live && received.length === 2);
      expect(received.map((e) => e.event!.type)).toEqual([wanted, wanted]);
      // More than 70 non-matching events, read in windows of 32: checkpoints during catch-up.
      const firstWanted = received[0].event!.position!.commit;
      expect(checkpoints.length).toBeGreaterThan(0);
      for (const { position } of checkpoints) {
        expect(position.commit).toBe(position.prepare);
        expect(position.commit).toBeLessThan(firstWanted);
      }

      // Live: every 32 considered events (default window × multiplier 1) make a checkpoint.
      await client.appendToStream(
        name,
        Array.from({ length: 40 }, () => event('Noise')),
      );
      await until(() => checkpoints.some((c) => c.live));
      await subscription.unsubscribe();
      const liveCheckpoint = checkpoints.find((c) => c.live)!.position.commit;
      expect(liveCheckpoint).toBeGreaterThan(received[1].event!.position!.commit);
      const commits = checkpoints.map((c) => c.position.commit);
      expect([...commits].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(commits);
      expect(received).toHaveLength(2);
    });

    it('filters by stream-name regex', async () => {
      const prefix = `picked${randomUUID().replace(/-/g, '')}`;
      const picked = stream(prefix);
      const start = (
        await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }))
      )[0].event!.position!;
      await client.appendToStream(stream(), event());
      await client.appendToStream(picked, [event(), event()]);
      const subscription = client.subscribeToAll({
        fromPosition: start,
        filter: streamNameFilter({ regex: `^${prefix}-` }),
      });
      const seen: string[] = [];
      for await (const resolved of subscription) {
        seen.push(resolved.event!.streamId);
        if (seen.length === 2) break;
      }
      await subscription.unsubscribe();
      expect(seen).toEqual([picked, picked]);
    });
  });

  describe('when subscribing to a stream', () => {
    it('starts after the given revision and continues live', async () => {
      const name = stream();
      await client.appendToStream(name, [event(), event(), event()]);
      const subscription = client.subscribeToStream(name, { fromRevision: 0n });
      const seen: bigint[] = [];
      for await (const resolved of subscription) {
        seen.push(resolved.event!.revision);
        if (seen.length === 2) await client.appendToStream(name, event(), { expectedRevision: 2n });
        if (seen.length === 3) break;
      }
      await subscription.unsubscribe();
      expect(seen).toEqual([1n, 2n, 3n]);
    });
  });
});
