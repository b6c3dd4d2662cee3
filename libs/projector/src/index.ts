export * from './projector';
export * from './projection-catalog';
export * from './rebuild/compare-views';
export * from './rebuild/projection-rebuild';
export * from './rebuild/projection-rebuilds';
export * from './rebuild/rebuild.errors';
export * from './status/projection-status';
export * from './parking/parked-customers';
