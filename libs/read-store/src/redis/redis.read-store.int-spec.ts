import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  redisServerInstalled,
  startRedisServer,
  uniqueRedisKeyPrefix,
  type LocalRedisServer,
} from '@rapport/test-support';
import { Redis } from 'ioredis';
import { ReadStoreUnavailableError } from '../read-store.errors';
import { describeReadStoreContract } from '../testing';
import { RedisReadStore } from './redis.read-store';

async function keysOf(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

describeIfAvailable('RedisReadStore', redisAvailability(), (url) => {
  const keyPrefix = uniqueRedisKeyPrefix('read-store');

  describe('as a ReadStore', () => {
    describeReadStoreContract(() => ({
      factory: async () => new RedisReadStore({ url, keyPrefix }),
      teardown: () => deleteRedisNamespace(url, keyPrefix),
    }));
  });

  describe('on Redis itself', () => {
    const collection = 'customer-view';
    let store: RedisReadStore;
    let raw: Redis;

    beforeEach(() => {
      store = new RedisReadStore({ url, keyPrefix });
      raw = new Redis(url);
    });
    afterEach(async () => {
      await store.close();
      await raw.quit();
      await deleteRedisNamespace(url, keyPrefix);
    });

    it('keeps a record under a key carrying the {customerId} hash tag', async () => {
      await store.putMany(collection, [{ key: 'C-1001', position: 7n, value: { n: 1 } }]);
      const recordKey = store.recordKey(collection, 'C-1001');
      expect(recordKey).toContain('{C-1001}');
      expect(recordKey.startsWith(keyPrefix)).toBe(true);
      expect(await raw.hgetall(recordKey)).toEqual({ p: '7', v: '{"n":1}' });
    });

    it('refuses a key that would break the hash tag', async () => {
      await expect(
        store.putMany(collection, [{ key: 'C-{1}', position: 1n, value: 1 }]),
      ).rejects.toThrow(/brace/);
    });

    describe('when more records are read or written than one round trip carries', () => {
      it('then every record is written once, indexed, and read back', async () => {
        const chunked = new RedisReadStore({ url, keyPrefix, recordsPerRoundTrip: 10 });
        try {
          const keys = Array.from({ length: 25 }, (_, i) => `C-${String(i).padStart(2, '0')}`);
          await chunked.putMany(collection, [{ key: keys[3], position: 50n, value: 'newer' }]);
          const written = await chunked.putMany(
            collection,
            keys.map((key, i) => ({ key, position: BigInt(i + 1), value: i })),
          );
          expect(written).toBe(24);
          expect(await chunked.count(collection)).toBe(25);
          const read = await chunked.getMany<number | string>(collection, [...keys, 'C-404']);
          expect([...read.keys()]).toEqual(keys);
          expect(read.get(keys[3])?.value).toBe('newer');
          expect(read.get(keys[24])).toEqual({ key: keys[24], position: 25n, value: 24 });
        } finally {
          await chunked.close();
        }
      });

      it('then a negative position anywhere writes nothing', async () => {
        const chunked = new RedisReadStore({ url, keyPrefix, recordsPerRoundTrip: 2 });
        try {
          await expect(
            chunked.putMany(collection, [
              { key: 'a', position: 1n, value: 1 },
              { key: 'b', position: 2n, value: 2 },
              { key: 'c', position: -1n, value: 3 },
            ]),
          ).rejects.toThrow(RangeError);
          expect(await chunked.count(collection)).toBe(0);
        } finally {
          await chunked.close();
        }
      });
    });

    it('compares positions beyond 2^53 and of different lengths exactly', async () => {
      const big = 9_007_199_254_740_993n;
      await store.putMany(collection, [{ key: 'a', position: big, value: 'big' }]);
      expect(await store.putMany(collection, [{ key: 'a', position: big - 1n, value: 'x' }])).toBe(
        0,
      );
      expect(await store.putMany(collection, [{ key: 'a', position: big + 1n, value: 'y' }])).toBe(
        1,
      );
      await store.putMany(collection, [{ key: 'b', position: 9n, value: 9 }]);
      expect(await store.putMany(collection, [{ key: 'b', position: 10n, value: 10 }])).toBe(1);
      expect(await store.get(collection, 'a')).toEqual({
        key: 'a',
        position: big + 1n,
        value: 'y',
      });
      expect((await store.get(collection, 'b'))?.position).toBe(10n);
    });

    it('ends at the highest position when two writers interleave on one key', async () => {
      const other = new RedisReadStore({ url, keyPrefix });
      const writes = (writer: RedisReadStore, parity: number) =>
        Array.from({ length: 200 }, (_, i) => BigInt(2 * i + parity + 1)).map((position) =>
          writer.putMany(collection, [
            { key: 'C-1', position, value: { position: `${position}` } },
          ]),
        );
      try {
        const written = await Promise.all([...writes(store, 0), ...writes(other, 1)]);
        expect(written.every((n) => n === 0 || n === 1)).toBe(true);
        expect(await store.get(collection, 'C-1')).toEqual({
          key: 'C-1',
          position: 400n,
          value: { position: '400' },
        });
        expect(await store.count(collection)).toBe(1);
      } finally {
        await other.close();
      }
    });

    it('rebuilds a lost index from the record keys', async () => {
      await store.putMany(
        collection,
        ['C-3', 'C-1', 'C-2'].map((key, i) => ({ key, position: BigInt(i), value: key })),
      );
      await raw.del(`${keyPrefix}index:${collection}`);
      expect(await store.count(collection)).toBe(0);
      expect(await store.rebuildIndex(collection)).toBe(3);
      const page = await store.list<string>(collection, { limit: 10 });
      expect(page.records.map((r) => r.key)).toEqual(['C-1', 'C-2', 'C-3']);
    });

    it('drops records that never made it into the index, too', async () => {
      await store.putMany(collection, [
        { key: 'a', position: 1n, value: 1 },
        { key: 'b', position: 1n, value: 2 },
      ]);
      await raw.zrem(`${keyPrefix}index:${collection}`, 'b');
      await store.dropCollection(collection);
      expect(await keysOf(raw, `${keyPrefix}*`)).toEqual([]);
    });
  });
});

const privateServer = redisServerInstalled()
  ? ({ available: true, via: 'a private redis-server', value: undefined } as const)
  : ({ available: false, reason: 'no redis-server binary to start and kill' } as const);

describeIfAvailable('RedisReadStore when Redis goes away', privateServer, () => {
  let server: LocalRedisServer;
  let store: RedisReadStore;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('fails with the retryable error while it is away and works again once it is back', async () => {
    store = new RedisReadStore({ url: server.url, keyPrefix: uniqueRedisKeyPrefix('outage') });
    await store.putMany('view', [{ key: 'C-1', position: 1n, value: { v: 1 } }]);

    await server.kill();
    const failure = await store
      .putMany('view', [{ key: 'C-1', position: 2n, value: { v: 2 } }])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReadStoreUnavailableError);
    expect(failure).toMatchObject({ code: 'READ_STORE_UNAVAILABLE', retryable: true });
    await expect(store.getCheckpoint('projector')).rejects.toBeInstanceOf(
      ReadStoreUnavailableError,
    );

    await server.restart();
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await store.putMany('view', [{ key: 'C-1', position: 2n, value: { v: 2 } }]);
        break;
      } catch (error) {
        if (!(error instanceof ReadStoreUnavailableError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(await store.get('view', 'C-1')).toEqual({ key: 'C-1', position: 2n, value: { v: 2 } });
  }, 20_000);
});
