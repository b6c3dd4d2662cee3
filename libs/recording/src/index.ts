export * from './customer-batch';
export * from './customer-queue';
export * from './customer-state.cache';
export * from './record-touchpoints.command';
export * from './record-touchpoints.handler';
export * from './touchpoint-recorder';
export * from './touchpoint-importer';
