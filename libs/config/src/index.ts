export * from './rapport.config';
export * from './rapport-config.module';
