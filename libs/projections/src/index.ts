export * from './projection';
export * from './customer-view/customer-view';
export * from './customer-view/customer-view.projection';
