export * from './problem-details';
export * from './problem-details.filter';
export * from './logging.module';
export * from './create-http-app';
export * from './metrics/metrics.registry';
export * from './metrics/metrics.module';
