export * from './customer-fixtures';
