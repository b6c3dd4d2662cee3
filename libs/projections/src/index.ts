export * from './projection';
export * from './stale-mark';
export * from './customer-view/customer-view';
export * from './customer-view/customer-view.projection';
export * from './customer-insights/customer-insights';
export * from './customer-insights/derive-customer-insights';
export * from './customer-insights/insights-snapshot';
export * from './customer-insights/segment-summary';
export { formatMoney } from './customer-view/touchpoint-summary';
