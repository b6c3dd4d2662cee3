export * from './projection';
export * from './stale-mark';
export * from './customer-view/customer-view';
export * from './customer-view/customer-view.projection';
export { formatMoney } from './customer-view/touchpoint-summary';
export * from './customer-view/member-ids';
