export * from './customer-insights';
export * from './derive-customer-insights';
export * from './insights-rows';
export * from './segment-summary';
