import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  uniqueRedisKeyPrefix,
} from '@rapport/test-support';
import { describeKeyStoreContract } from '../../testing/key-store.contract';
import { RedisKeyStore } from './redis.key-store';

describeIfAvailable('RedisKeyStore', redisAvailability(), (url) => {
  const prefix = uniqueRedisKeyPrefix('keys');
  afterAll(() => deleteRedisNamespace(url, prefix));
  const prefixes = new WeakMap<object, string>();
  describeKeyStoreContract(
    'redis',
    async () => {
      const own = `${prefix}${Math.random()}:`;
      const store = new RedisKeyStore(url, own);
      prefixes.set(store, own);
      return store;
    },
    async (first) => new RedisKeyStore(url, prefixes.get(first)!),
  );
});
