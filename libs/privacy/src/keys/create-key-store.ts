import type { PrivacyConfig } from '@rapport/config';
import { CachingKeyStore } from './caching.key-store';
import { RedisKeyStore } from './redis/redis.key-store';
import { SqliteKeyStore } from './sqlite/sqlite.key-store';

/** Configuration picks the adapter: KEY_STORE_URL → Redis, otherwise DATA_DIR/keys.sqlite. */
export function createKeyStore(config: PrivacyConfig): CachingKeyStore {
  switch (config.keyStore.kind) {
    case 'sqlite':
      return new CachingKeyStore(new SqliteKeyStore(config.keyStore.path));
    case 'redis':
      return new CachingKeyStore(new RedisKeyStore(config.keyStore.url));
  }
}
