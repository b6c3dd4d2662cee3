import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamName, type Touchpoint } from '@rapport/domain';
import { aTouchpoint } from '@rapport/domain/testing';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import {
  CachingKeyStore,
  checkErasure,
  EncryptingEventStore,
  ERASED_VALUE,
  eraseCustomer,
  findValues,
  RedisKeyStore,
  SqliteKeyStore,
  type KeyStore,
} from '@rapport/privacy';
import { openRecording, RecordTouchpointsCommand, type OpenRecording } from '@rapport/recording';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  uniqueRedisKeyPrefix,
} from '@rapport/test-support';

const CUSTOMER = 'C-SCALE-1';
const FIRST_URL = 'https://shop.test/account?email=ada.wren%40mailbox.test';
/** Sent to the second instance while the first erases the customer. */
const LATE_URL = 'https://shop.test/account?phone=%2B4915199887766&name=Ada+Wren';

/** One ingest process: its own connections, its own key cache, its own recorder. */
interface Instance {
  readonly raw: SqliteEventStore;
  readonly keys: CachingKeyStore;
  readonly store: EncryptingEventStore;
  readonly recording: OpenRecording;
  close(): Promise<void>;
}

/** The store with `run` called once, at its first appendMany after `armed()` says so. */
function interleaved(
  store: EventStore,
  armed: () => boolean,
  run: () => Promise<unknown>,
): EventStore {
  let done = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendMany')
        return async (...args: Parameters<EventStore['appendMany']>) => {
          if (armed() && !done) {
            done = true;
            await run();
          }
          return target.appendMany(...args);
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Two ingest instances share one event store and one key store (the scale-out deployment).
 * The second holds the customer's key in its cache when the first erases them, and records a
 * touchpoint for them at the worst moment: its decision made, its events sealed or about to
 * be. Nothing it records after the erasure may be readable, by it or by anyone.
 */
function describeScaleOut(kind: string, keysOf: (dir: string) => KeyStore): void {
  describe(`when one instance erases a customer another one is recording (keys in ${kind})`, () => {
    let dir: string;
    const instances: Instance[] = [];

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rapport-scale-out-'));
    });
    afterEach(async () => {
      for (const instance of instances.splice(0)) await instance.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function start(
      openKeys: (dir: string) => KeyStore,
      wrap: (encrypting: EventStore) => EventStore = (e) => e,
      below?: (raw: EventStore) => EventStore,
    ): Promise<Instance> {
      const raw = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
      const keys = new CachingKeyStore(openKeys(dir));
      const store = new EncryptingEventStore(below ? below(raw) : raw, keys);
      const recording = await openRecording(wrap(store));
      const instance = {
        raw,
        keys,
        store,
        recording,
        close: async () => {
          await recording.close();
          await store.close();
          await keys.close();
        },
      };
      instances.push(instance);
      return instance;
    }

    function visit(url: string, touchpointId: string): Touchpoint {
      return aTouchpoint('web_visit', { url }, { customerId: CUSTOMER, touchpointId });
    }

    function record(instance: Instance, touchpoints: Touchpoint[]) {
      return instance.recording.commandBus.execute(
        new RecordTouchpointsCommand(touchpoints, {
          ingestedAt: '2026-11-02T00:00:00.000Z',
          correlationId: 'scale-out',
        }),
      );
    }

    const erasure = {
      customerId: CUSTOMER,
      reason: 'ticket GDPR-44',
      requestedAt: '2026-11-02T00:00:00.000Z',
      correlationId: 'erase',
    };

    async function expectNothingReadableAfter(first: Instance, second: Instance): Promise<void> {
      const stored = await first.raw.readStream(customerStreamName(CUSTOMER));
      expect(stored.map((e) => e.type)).toEqual([
        'WebVisitRecorded',
        'CustomerErased',
        'WebVisitRecorded',
        'PurchaseCompleted',
      ]);
      // Recorded, with its facts, without its personal field.
      expect(stored[2].data.url).toBe(ERASED_VALUE);
      expect(stored[3].data.amount).toEqual({ minor: 2_000, currency: 'EUR' });
      for (const instance of [first, second]) {
        const read = await instance.store.readStream(customerStreamName(CUSTOMER));
        expect(read.map((e) => e.data.url)).toEqual([
          ERASED_VALUE,
          undefined,
          ERASED_VALUE,
          undefined,
        ]);
      }
      expect(await checkErasure(first.raw, first.keys, CUSTOMER)).toMatchObject({
        erased: true,
        problems: [],
      });
      const files = readdirSync(dir).flatMap((name) =>
        findValues(name, readFileSync(join(dir, name)), [FIRST_URL, LATE_URL, 'ada.wren']),
      );
      expect(files).toEqual([]);
    }

    const late = () => [
      visit(LATE_URL, 'late-visit'),
      aTouchpoint(
        'purchase',
        { orderId: 'O-late', amount: { minor: 2_000, currency: 'EUR' } },
        { customerId: CUSTOMER, touchpointId: 'late-purchase', channel: 'store' },
      ),
    ];

    it('drops the personal fields of what it records after an erasure made between sealing and appending', async () => {
      const first = await start(keysOf);
      let armed = false;
      const second = await start(keysOf, undefined, (raw) =>
        interleaved(
          raw,
          () => armed,
          () => eraseCustomer(first.store, first.keys, erasure),
        ),
      );
      await record(second, [visit(FIRST_URL, 'first-visit')]);
      expect(second.keys.cached(CUSTOMER)).toBeDefined();
      armed = true;
      const outcome = await record(second, late());
      expect(outcome.items.map((i) => i.status)).toEqual(['recorded', 'recorded']);
      await expectNothingReadableAfter(first, second);
    });

    it('drops the personal fields of what it records after an erasure made between deciding and sealing', async () => {
      const first = await start(keysOf);
      let armed = false;
      const second = await start(keysOf, (encrypting) =>
        interleaved(
          encrypting,
          () => armed,
          () => eraseCustomer(first.store, first.keys, erasure),
        ),
      );
      await record(second, [visit(FIRST_URL, 'first-visit')]);
      expect(second.keys.cached(CUSTOMER)).toBeDefined();
      armed = true;
      const outcome = await record(second, late());
      expect(outcome.items.map((i) => i.status)).toEqual(['recorded', 'recorded']);
      await expectNothingReadableAfter(first, second);
    });
  });
}

describeScaleOut('SQLite', (dir) => new SqliteKeyStore(join(dir, 'keys.sqlite')));

describeIfAvailable('scale-out erasure', redisAvailability(), (url) => {
  const prefix = uniqueRedisKeyPrefix('scale-out-keys');
  afterAll(() => deleteRedisNamespace(url, prefix));
  // One key namespace per test directory: both instances of a test share it.
  describeScaleOut('Redis', (dir) => new RedisKeyStore(url, `${prefix}${dir}:`));
});
