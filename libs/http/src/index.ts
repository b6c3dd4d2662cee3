export * from './problem-details';
export * from './problem-details.filter';
export * from './logging.module';
export * from './redact-url';
export * from './create-http-app';
export * from './http-edge.module';
export * from './metrics/metrics.module';
// The metric helpers live in @rapport/metrics, below the HTTP edge and the projector that both
// register metrics; HTTP code keeps finding them here.
export { counter, gauge, histogram, gaugeReadAtScrape, metricsRegistry } from '@rapport/metrics';
export * from './auth/roles.decorator';
export * from './auth/api-key.authenticator';
export * from './auth/api-keys.file';
export * from './openapi/api-problem-responses.decorator';
export * from './openapi/problem-details.schema';
export * from './openapi/openapi.setup';
export * from './csv/csv.format';
export * from './csv/csv.stream';
export * from './csv/csv.negotiation';
export * from './csv/csv.export';
export * from './read-your-writes/min-position';
export * from './read-your-writes/min-position.decorator';
export * from './read-your-writes/reads-no-view.decorator';
export * from './validation/validated-query.pipe';
export * from './validation/query.transforms';
export * from './dashboard/serve-dashboard';
export type { AuthenticatedRequest } from './auth/api-key.guard';
export * from './auth/key-in-body';
