export * from './read-store.port';
export * from './read-store.errors';
export * from './memory/memory.read-store';
export * from './memory/merge-sorted';
export * from './redis/redis.read-store';
export * from './read-store.module';
export * from './generations/view-generations';
export * from './open-read-store-at';
