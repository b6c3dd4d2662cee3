export * from './insights-snapshot';
export * from './insights.engine';
export * from './insights.module';
