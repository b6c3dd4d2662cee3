export * from './customer-insights';
export * from './derive-customer-insights';
export * from './insights-rows';
export * from './segment-summary';
export * from './customer-value';
export * from './value-model';
export * from './predicted-tiers';
export * from './model-check-facts';
