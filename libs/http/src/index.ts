export * from './problem-details';
export * from './problem-details.filter';
export * from './logging.module';
export * from './create-http-app';
