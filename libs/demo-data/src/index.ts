export * from './demo-history.options';
export * from './demo-history';
