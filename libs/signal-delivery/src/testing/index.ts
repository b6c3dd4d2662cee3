export * from './signal-delivery.fixtures';
