export * from './eventstoredb-standin.server';
export type { StoredEvent } from './in-memory.event-log';
