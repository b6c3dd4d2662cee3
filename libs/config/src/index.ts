export * from './rapport.config';
export * from './rapport-config.module';
export * from './http.config';
export * from './shutdown-signals';
export * from './value.config';
