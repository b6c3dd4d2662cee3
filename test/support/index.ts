export * from './availability';
export * from './docker';
export * from './eventstoredb';
export * from './eventstoredb-standin';
export * from './kafka';
export * from './platform';
export * from './redis';
export * from './decided-history';
