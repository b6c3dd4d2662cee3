export * from './availability';
export * from './docker';
export * from './eventstoredb';
