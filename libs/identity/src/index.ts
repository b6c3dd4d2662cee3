export * from './identity.events';
export * from './identity.streams';
export * from './identity-rules';
export * from './identity-graph';
export * from './decide-identity';
export * from './manual-merge';
export * from './identify-call';
