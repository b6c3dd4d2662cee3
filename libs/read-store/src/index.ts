export * from './read-store.port';
export * from './memory/memory.read-store';
