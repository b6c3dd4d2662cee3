export * from './signal';
export * from './signal-id';
export * from './signal-rules.config';
export * from './derive-signals';
export * from './facts/signal-facts';
export * from './facts/signal-facts.projection';
export * from './signal-content';
export * from './signal-preview';
