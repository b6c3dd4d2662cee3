export * from './event-store.port';
export * from './event-store.errors';
export * from './sqlite/sqlite.event-store';
export * from './sqlite/owner-only-files';
export * from './eventstoredb/eventstoredb.event-store';
export * from './event-store.module';
