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
  describeKeyStoreContract(
    'redis',
    async () => new RedisKeyStore(url, `${prefix}${Math.random()}:`),
  );
});
