export * from './demo-history.options';
export * from './demo-history';
export * from './identity-stories';
