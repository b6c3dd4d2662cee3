export * from './rapport.config';
export * from './rapport-config.module';
export * from './http.config';
export * from './privacy.config';
export * from './shutdown-signals';
export * from './signals.config';
export * from './value.config';
export * from './segment.config';
