export * from './start-worker';
export * from './background-priority';
