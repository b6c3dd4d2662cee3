import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { customerStreamName, eventIdFor, type CustomerEvent } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import {
  EventStoreDbEventStore,
  SqliteEventStore,
  type EventStore,
  type NewEvent,
} from '@rapport/event-store';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import {
  MemoryReadStore,
  RedisReadStore,
  ViewGenerations,
  type ReadStore,
} from '@rapport/read-store';
import {
  deleteRedisNamespace,
  EventStoreDbStandIn,
  redisAvailability,
  uniqueRedisKeyPrefix,
} from '@rapport/test-support';
import { PROJECTIONS } from '../projection-catalog';
import { Projector } from '../projector';
import { REBUILD_COMMAND, type ReadStoreMismatchPolicy } from './store-binding';
import { ReadStoreMismatchError } from './store-binding.errors';
import { StoreBindingMonitor } from './store-binding.monitor';

const VIEW = customerViewProjection.name;

/** An event store that outlives the processes using it, and can be replaced by a new one. */
interface EventStoreHost {
  open(): EventStore;
  /** A new, empty store where the old one was (a fresh data directory, a recreated server). */
  replace(): Promise<void>;
  dispose(): Promise<void>;
}

function sqliteHost(): EventStoreHost & { backup(): void; restore(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-binding-'));
  let n = 0;
  let path = join(dir, `events-${n}.db`);
  return {
    open: () => new SqliteEventStore({ path, pollIntervalMs: 10, writer: 'inline' }),
    replace: async () => void (path = join(dir, `events-${++n}.db`)),
    // The file is closed by then (its WAL checkpointed): a copy is a complete backup.
    backup: () => copyFileSync(path, `${path}.backup`),
    restore: () => {
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
      copyFileSync(`${path}.backup`, path);
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function eventStoreDbHost(): Promise<EventStoreHost> {
  let server = await EventStoreDbStandIn.start({ host: '127.0.0.1', port: 0 });
  return {
    open: () => new EventStoreDbEventStore({ connectionString: server.connectionString }),
    replace: async () => {
      await server.stop();
      server = await EventStoreDbStandIn.start({ host: '127.0.0.1', port: 0 });
    },
    dispose: () => server.stop(),
  };
}

/** A read store that outlives the processes using it: each process opens its own client. */
interface ReadStoreHost {
  open(): ReadStore;
  dispose(): Promise<void>;
}

function memoryHost(): ReadStoreHost {
  // The in-memory store is rebuilt at each start in production; kept here across "restarts"
  // so that the same binding logic meets a store with a past, through the same port.
  const store = new MemoryReadStore();
  return { open: () => withoutClose(store), dispose: () => store.close() };
}

function withoutClose(store: ReadStore): ReadStore {
  return new Proxy(store, {
    get: (target, property, receiver) =>
      property === 'close' ? async () => {} : Reflect.get(target, property, receiver),
  });
}

function redisHost(url: string): ReadStoreHost {
  const keyPrefix = uniqueRedisKeyPrefix('binding');
  return {
    open: () => new RedisReadStore({ url, keyPrefix }),
    dispose: () => deleteRedisNamespace(url, keyPrefix),
  };
}

function toNewEvent(event: CustomerEvent): NewEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

/** `visits` web visits of each customer, in one append per customer. */
async function record(
  store: EventStore,
  customers: readonly string[],
  visits: number,
): Promise<Map<string, CustomerEvent[]>> {
  const recorded = new Map<string, CustomerEvent[]>();
  for (const customerId of customers) {
    const events = historyOf(
      ...Array.from({ length: visits }, (_, day) =>
        aTouchpoint(
          'web_visit',
          { url: `/page-${day}` },
          { customerId, occurredAt: `2026-03-${String(day + 1).padStart(2, '0')}T10:00:00.000Z` },
        ),
      ),
    );
    await store.append(customerStreamName(customerId), events.map(toNewEvent), {
      expectedRevision: 'any',
    });
    recorded.set(customerId, events);
  }
  return recorded;
}

/** One process's read side over the stores: the monitor at start, then the live projector. */
class ReadSide {
  readonly generations: ViewGenerations;
  readonly monitor: StoreBindingMonitor;
  projector: Projector | undefined;

  constructor(
    readonly eventStore: EventStore,
    readonly readStore: ReadStore,
    policy: ReadStoreMismatchPolicy,
  ) {
    this.generations = new ViewGenerations(readStore, { cacheMs: 0 });
    this.monitor = new StoreBindingMonitor(eventStore, readStore, this.generations, {
      policy,
      liveCheckpoint: 'projector',
      batchSize: 1_000,
      cacheMs: 0,
    });
  }

  /** As ProjectorLifecycle does: prepare the read store, then follow the event store to its head. */
  async start(): Promise<void> {
    const prepared = await this.monitor.prepareForProjector();
    if (!prepared.ready) await prepared.rebuilt;
    this.projector = new Projector(this.eventStore, this.readStore, PROJECTIONS, {
      name: 'projector',
      batchSize: 100,
      maxBatchDelayMs: 5,
      generations: this.generations,
    });
    await this.projector.start();
    expect(await this.projector.waitFor(await this.eventStore.headPosition(), 20_000)).toBe(true);
  }

  async view(customerId: string): Promise<unknown> {
    const collection = await this.generations.activeCollection(VIEW);
    return (await this.readStore.get(collection, customerId))?.value;
  }

  async close(): Promise<void> {
    await this.projector?.stop();
    await this.readStore.close();
    await this.eventStore.close();
  }
}

function expectedView(customerId: string, events: readonly CustomerEvent[]): unknown {
  return foldProjection(customerViewProjection, customerId, events);
}

const redis = redisAvailability();
const readStores: Array<[string, (() => ReadStoreHost) | undefined]> = [
  ['in-memory read store', memoryHost],
  [
    redis.available ? `Redis read store via ${redis.via}` : `Redis (skipped: ${redis.reason})`,
    redis.available ? () => redisHost(redis.value) : undefined,
  ],
];
const eventStores: Array<[string, () => Promise<EventStoreHost>]> = [
  ['SQLite event store', async () => sqliteHost()],
  ['EventStoreDB (gRPC stand-in)', eventStoreDbHost],
];

describe.each(eventStores)('store binding on %s', (_eventStoreTitle, openEventStoreHost) => {
  describe.each(readStores)('with the %s', (_readStoreTitle, openReadStoreHost) => {
    const maybe = openReadStoreHost ? it : it.skip;
    let events: EventStoreHost;
    let views: ReadStoreHost;
    const sides: ReadSide[] = [];
    const side = (policy: ReadStoreMismatchPolicy = 'refuse') => {
      const opened = new ReadSide(events.open(), views.open(), policy);
      sides.push(opened);
      return opened;
    };
    const closeAll = async () => {
      for (const opened of sides.splice(0)) await opened.close();
    };

    beforeAll(() => Logger.overrideLogger(false));
    beforeEach(async () => {
      if (!openReadStoreHost) return;
      events = await openEventStoreHost();
      views = openReadStoreHost();
    });
    afterEach(async () => {
      if (!openReadStoreHost) return;
      await closeAll();
      await views.dispose();
      await events.dispose();
    });

    maybe(
      'resumes an ordinary restart from its checkpoint, as before',
      async () => {
        const first = side();
        const before = await record(first.eventStore, ['C-1', 'C-2'], 3);
        await first.start();
        await closeAll();

        const second = side();
        const after = await record(second.eventStore, ['C-3'], 2);
        await second.start();
        expect(second.projector!.status().eventsApplied).toBe(2);
        expect(await second.view('C-1')).toEqual(expectedView('C-1', before.get('C-1')!));
        expect(await second.view('C-3')).toEqual(expectedView('C-3', after.get('C-3')!));
        expect(await second.monitor.status()).toMatchObject({ state: 'bound' });
        expect(await second.readStore.getBinding('projector')).toBe(
          await second.eventStore.identity(),
        );
      },
      60_000,
    );

    maybe(
      'refuses a read store built from another event store, naming both and the fix',
      async () => {
        const old = side();
        await record(old.eventStore, ['C-1', 'C-2', 'C-3'], 4);
        await old.start();
        const oldId = await old.eventStore.identity();
        const oldCheckpoint = (await old.readStore.getCheckpoint('projector'))!;
        await closeAll();

        await events.replace();
        const fresh = side('refuse');
        await record(fresh.eventStore, ['C-9'], 2);
        const freshId = await fresh.eventStore.identity();
        expect(freshId).not.toBe(oldId);

        const refused = fresh.start();
        await expect(refused).rejects.toBeInstanceOf(ReadStoreMismatchError);
        const message = await refused.catch((error: Error) => error.message);
        expect(message).toContain(oldId);
        expect(message).toContain(freshId);
        expect(message).toContain(`up to position ${oldCheckpoint}`);
        expect(message).toContain(REBUILD_COMMAND);
        expect(await fresh.monitor.status()).toMatchObject({ state: 'mismatch' });
        // Nothing was touched: the old store's checkpoint and binding are as they were.
        expect(await fresh.readStore.getCheckpoint('projector')).toBe(oldCheckpoint);
        expect(await fresh.readStore.getBinding('projector')).toBe(oldId);
      },
      60_000,
    );

    maybe(
      'rebuilds it from this event store when READ_STORE_MISMATCH=rebuild',
      async () => {
        const old = side();
        await record(old.eventStore, ['C-1', 'C-2', 'C-3'], 4);
        await old.start();
        await closeAll();

        await events.replace();
        const fresh = side('rebuild');
        const recorded = await record(fresh.eventStore, ['C-9', 'C-1'], 2);
        await fresh.start();

        expect(await fresh.view('C-9')).toEqual(expectedView('C-9', recorded.get('C-9')!));
        expect(await fresh.view('C-1')).toEqual(expectedView('C-1', recorded.get('C-1')!));
        expect(await fresh.view('C-2')).toBeUndefined();
        expect(await fresh.monitor.status()).toMatchObject({ state: 'rebuilt' });
        const freshId = await fresh.eventStore.identity();
        expect(await fresh.readStore.getBinding('projector')).toBe(freshId);

        // Live again: a new event lands, and the next start finds everything bound.
        const later = await record(fresh.eventStore, ['C-9'], 1);
        const head = await fresh.eventStore.headPosition();
        expect(await fresh.projector!.waitFor(head, 20_000)).toBe(true);
        expect(await fresh.view('C-9')).toEqual(
          expectedView('C-9', [...recorded.get('C-9')!, ...later.get('C-9')!]),
        );
        await closeAll();
        const restarted = side('refuse');
        await restarted.start();
        expect(await restarted.monitor.status()).toMatchObject({ state: 'bound' });
      },
      60_000,
    );

    maybe(
      'adopts a checkpoint written before bindings when it is within the head',
      async () => {
        const first = side();
        await record(first.eventStore, ['C-1'], 3);
        await first.start();
        const checkpoint = (await first.readStore.getCheckpoint('projector'))!;
        await closeAll();

        const legacy = side();
        // As a read store written by a build without bindings: positions, no identity.
        await legacy.readStore.putBinding('projector', '');
        const unbound = new Proxy(legacy.readStore, {
          get: (target, property, receiver) =>
            property === 'getBinding'
              ? async (name: string) => (await target.getBinding(name)) || undefined
              : Reflect.get(target, property, receiver),
        });
        const adopted = new ReadSide(legacy.eventStore, unbound, 'refuse');
        sides.push(adopted);
        await adopted.start();
        expect(adopted.projector!.status().eventsApplied).toBe(0);
        expect(await adopted.readStore.getCheckpoint('projector')).toBe(checkpoint);
        expect(await legacy.readStore.getBinding('projector')).toBe(
          await legacy.eventStore.identity(),
        );
      },
      60_000,
    );
  });
});

describe.each(readStores)(
  'store binding on a SQLite event store restored from an older backup, with the %s',
  (_title, openReadStoreHost) => {
    const maybe = openReadStoreHost ? it : it.skip;

    maybe(
      'refuses a checkpoint beyond the head, and rebuilds on request',
      async () => {
        Logger.overrideLogger(false);
        const events = sqliteHost();
        const views = openReadStoreHost!();
        const sides: ReadSide[] = [];
        const side = (policy: ReadStoreMismatchPolicy) => {
          const opened = new ReadSide(events.open(), views.open(), policy);
          sides.push(opened);
          return opened;
        };
        try {
          const writer = events.open();
          const kept = await record(writer, ['C-1'], 2);
          await writer.close();
          events.backup();

          const live = side('refuse');
          await record(live.eventStore, ['C-2', 'C-3'], 3);
          await live.start();
          const checkpoint = (await live.readStore.getCheckpoint('projector'))!;
          await live.close();
          events.restore();

          const restored = side('refuse');
          const head = await restored.eventStore.headPosition();
          expect(head).toBeLessThan(checkpoint);
          const refused = await restored.start().catch((error: Error) => error);
          expect(refused).toBeInstanceOf(ReadStoreMismatchError);
          expect((refused as Error).message).toContain(
            `at position ${checkpoint}, beyond the head of this event store`,
          );
          expect((refused as Error).message).toContain(`(head ${head})`);
          await restored.close();

          const rebuilt = side('rebuild');
          await rebuilt.start();
          expect(await rebuilt.view('C-1')).toEqual(expectedView('C-1', kept.get('C-1')!));
          expect(await rebuilt.view('C-2')).toBeUndefined();
          expect(await rebuilt.readStore.getCheckpoint('projector')).toBe(head);
          expect(await rebuilt.monitor.status()).toMatchObject({ state: 'rebuilt' });
        } finally {
          for (const opened of sides) await opened.close().catch(() => undefined);
          await views.dispose();
          await events.dispose();
        }
      },
      60_000,
    );
  },
);
