export * from './population';
export * from './insights-snapshot';
export * from './insights.engine';
export * from './insights.module';
export type { ModelRunner } from './model-runner/model-runner';
export { InlineModelRunner } from './model-runner/inline.model-runner';
export { WorkerModelRunner } from './model-runner/worker.model-runner';
export type { ModelFit } from './model-fit';
export { ChangedCustomersFeed, type ChangedCustomers } from './incremental/changed-customers';
