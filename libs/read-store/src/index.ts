export * from './read-store.port';
export * from './memory/memory.read-store';
export * from './read-store.module';
