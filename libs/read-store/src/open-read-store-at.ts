import type { ReadStore, ReadStoreLocation } from './read-store.port';
import { RedisReadStore } from './redis/redis.read-store';

/**
 * A connection of this thread's own to the records another thread's store holds (see
 * ReadStore#location): what a rebuild's worker thread writes the generation it builds with,
 * so that the thread serving queries neither carries nor serialises a record of it.
 */
export function openReadStoreAt(location: ReadStoreLocation): ReadStore {
  switch (location.kind) {
    case 'redis':
      return new RedisReadStore(location);
  }
}
