/**
 * The file-role suffixes of apps/ and libs/ (CONTRIBUTING.md, "File-role suffixes"). A file is
 * `<subject>.<role>.ts`, or `<subject>.ts` for plain functions named by what they compute. The role
 * is the last dotted part of the name; `.http.controller.ts` and `.request.dto.ts` are the roles
 * `controller` and `dto` with a qualifier.
 */
export const FILE_ROLES: Readonly<Record<string, string>> = {
  spec: 'unit test (Jest `unit` project)',
  'int-spec': 'test against a real engine (SQLite, Redis, Kafka mock, worker threads)',
  module: 'a Nest module',
  controller: 'HTTP routes (`<subject>.http.controller.ts`)',
  command: 'a CQRS command class (never a CLI command: those are `.cli.ts`)',
  query: 'a CQRS query class',
  handler: 'the handler of one CQRS command, query or event',
  dto: 'validated input or documented output at the HTTP edge (`.request.dto.ts`, `.response.dto.ts`)',
  guard: 'a Nest guard',
  decorator: 'a decorator',
  cli: 'one CLI command (commander)',
  consumer: 'a message consumer (`<subject>.kafka.consumer.ts`)',
  publisher: 'a message publisher',
  port: 'a port: the interface and its DI token; its adapters are `<technology>.<port>.ts`',
  contract: "the contract suite every adapter of a port passes (in the lib's `testing/`)",
  events: 'the events of one stream or aggregate',
  errors: 'typed errors (their codes reach problem details and dead letters)',
  projection: 'a pure fold per customer',
  rule: 'one signal rule',
  config: 'a configuration block: its schema, defaults and validation',
  metrics: 'Prometheus metrics of one component',
  cache: 'an in-memory cache',
  worker: 'a worker-thread entry point',
  types: 'types only',
  page: 'a dashboard page (`.page.tsx`)',
};

/**
 * Files whose last dotted part is no role above. They remain because renaming them moves imports
 * across many files while other branches are being merged; a new file takes a listed role or no
 * suffix (`sqlite-connection.ts`). An entry whose file is gone fails the check, so the list only
 * shrinks.
 */
export const SUFFIX_ALLOWLIST: readonly string[] = [
  // The domain core's own vocabulary (decider, state, commands, stream, upcast, its base error).
  'libs/domain/src/customer/customer.decider.ts',
  'libs/domain/src/customer/customer.state.ts',
  'libs/domain/src/customer/customer.commands.ts',
  'libs/domain/src/customer/customer.stream.ts',
  'libs/domain/src/customer/customer.upcast.ts',
  'libs/domain/src/shared/domain.error.ts',
  'libs/identity/src/identity.streams.ts',
  // The statistics are named after the model's steps, as the papers name them.
  'libs/analytics/src/bgnbd/bg-nbd.fit.ts',
  'libs/analytics/src/bgnbd/bg-nbd.predict.ts',
  'libs/analytics/src/bgnbd/bg-nbd.likelihood.ts',
  'libs/analytics/src/bgnbd/bg-nbd.grouped-likelihood.ts',
  'libs/analytics/src/bgnbd/bg-nbd.holdout.ts',
  'libs/analytics/src/bgnbd/bg-nbd.summary.ts',
  'libs/analytics/src/bgnbd/no-purchase.summary.ts',
  'libs/analytics/src/gamma-gamma/gamma-gamma.fit.ts',
  'libs/analytics/src/gamma-gamma/gamma-gamma.predict.ts',
  'libs/analytics/src/gamma-gamma/gamma-gamma.likelihood.ts',
  'libs/analytics/src/pareto/pareto-tiers.columns.ts',
  // Test helpers in a lib's testing/ folder, imported by specs in several libs and test/.
  'libs/analytics/src/testing/bg-nbd.reference.ts',
  'libs/analytics/src/testing/bg-nbd.simulate.ts',
  'libs/analytics/src/testing/gamma-gamma.simulate.ts',
  'libs/contract/src/testing/touchpoint.arbitraries.ts',
  'libs/messaging/src/testing/topic.reader.ts',
  'libs/signal-delivery/src/testing/signal-delivery.fixtures.ts',
  // The SQLite adapter's parts, each imported across the event store, the privacy lib and benches.
  'libs/event-store/src/sqlite/sqlite.appender.ts',
  'libs/event-store/src/sqlite/sqlite.connection.ts',
  'libs/event-store/src/sqlite/sqlite.schema.ts',
  'libs/event-store/src/sqlite/sqlite.serialized-appends.ts',
  'libs/event-store/src/sqlite/sqlite.stream-revisions.ts',
  'libs/event-store/src/sqlite/sqlite.subscription.ts',
  'libs/event-store/src/sqlite/sqlite.writer.ts',
  'libs/event-store/src/sqlite/sqlite.writer-thread.ts',
  // Adapters of ports that are named without `.port.ts` (model runner, signal and webhook ledgers).
  'libs/insights/src/model-runner/inline.model-runner.ts',
  'libs/insights/src/model-runner/worker.model-runner.ts',
  'libs/signal-delivery/src/ledger/sqlite.signal-ledger.ts',
  'libs/signal-delivery/src/webhook/sqlite.webhook-ledger.ts',
  // Messages exchanged with a worker thread, beside its `.worker.ts`.
  'libs/insights/src/model-runner/model-worker.protocol.ts',
  'libs/projector/src/rebuild/off-thread/build-worker.protocol.ts',
  // The Redis read store's parts.
  'libs/read-store/src/redis/redis.keys.ts',
  'libs/read-store/src/redis/redis.outage.ts',
  'libs/read-store/src/redis/redis.put-record.script.ts',
  // The HTTP edge's Nest and Fastify pieces (filter, pipe, hook, providers) and its CSV, OpenAPI
  // and auth helpers, imported by every HTTP app.
  'libs/http/src/problem-details.filter.ts',
  'libs/http/src/validation/validated-query.pipe.ts',
  'libs/http/src/validation/query.transforms.ts',
  'libs/http/src/metrics/http-metrics.hook.ts',
  'libs/http/src/auth/api-key.provider.ts',
  'libs/http/src/auth/api-key.authenticator.ts',
  'libs/http/src/auth/api-key.credentials.ts',
  'libs/http/src/auth/api-keys.file.ts',
  'libs/http/src/csv/csv.export.ts',
  'libs/http/src/csv/csv.format.ts',
  'libs/http/src/csv/csv.negotiation.ts',
  'libs/http/src/csv/csv.stream.ts',
  'libs/http/src/openapi/openapi.setup.ts',
  'libs/http/src/openapi/openapi.schemes.ts',
  'libs/http/src/openapi/problem-details.schema.ts',
  'libs/http/src/health/readiness.checks.ts',
  'libs/http/src/rate-limit/unauthenticated.rate-limit.ts',
  'libs/http/src/dashboard/dashboard.csp.ts',
  'libs/http/src/shutdown.logger.ts',
  // One-offs in the other libs, each imported from several places.
  'libs/contract/src/touchpoint.fast-path.ts',
  'libs/demo-data/src/demo-history.options.ts',
  'libs/insights/src/insights.engine.ts',
  'libs/messaging/src/kafka/kafka.client.ts',
  'libs/messaging/src/kafka/retry.backoff.ts',
  'libs/metrics/src/metrics.registry.ts',
  'libs/privacy/src/event-store/plain-personal-data.check.ts',
  'libs/projector/src/binding/store-binding.monitor.ts',
  'libs/projector/src/rebuild/projection-rebuilds.registry.ts',
  'libs/recording/src/event-id.hasher.ts',
  'libs/recording/src/identity/identity-graph.reader.ts',
  'libs/recording/src/identity/merge-profiles/graph-stream.appender.ts',
  // The CLI wires each lib it uses in one `<lib>.lib.ts` of shared/lib/.
  'apps/cli/src/shared/lib/config.lib.ts',
  'apps/cli/src/shared/lib/demo-data.lib.ts',
  'apps/cli/src/shared/lib/insights.lib.ts',
  'apps/cli/src/shared/lib/messaging.lib.ts',
  'apps/cli/src/shared/lib/privacy.lib.ts',
  'apps/cli/src/shared/lib/projections.lib.ts',
  'apps/cli/src/shared/lib/projector.lib.ts',
  'apps/cli/src/shared/lib/recording.lib.ts',
  'apps/cli/src/shared/lib/signals.lib.ts',
  'apps/cli/src/model/model-fit.format.ts',
  'apps/cli/src/model/period-start.option.ts',
  // Transports and their documentation beside the controller or consumer that uses them.
  'apps/ingest/src/record-touchpoint/touchpoints.kafka.batch-handler.ts',
  'apps/ingest/src/record-touchpoint/touchpoint.openapi.ts',
  'apps/ingest/src/segment-ingest/segment.openapi.ts',
  'apps/platform/src/demo/demo.main.ts',
  'apps/projector/src/projector.provider.ts',
  // Query-side helpers: CSV columns and OpenAPI examples beside their query, shared sources.
  'apps/query-api/src/get-customer-timeline/timeline.csv.ts',
  'apps/query-api/src/get-deselection/deselection.csv.ts',
  'apps/query-api/src/shared/signals.csv.ts',
  'apps/query-api/src/shared/insights-row.csv.ts',
  'apps/query-api/src/get-segment-summary/segment-summary.example.ts',
  'apps/query-api/src/get-tier-summary/tier-summary.example.ts',
  'apps/query-api/src/churn-model/churn-model.handlers.ts',
  'apps/query-api/src/churn-model/churn-model.queries.ts',
  'apps/query-api/src/rebuild-projection/projection-rebuilds.provider.ts',
  'apps/query-api/src/rebuild-projection/projection-versions.lifecycle.ts',
  'apps/query-api/src/shared/snapshot.source.ts',
  'apps/query-api/src/store-binding.check.ts',
  // The dashboard (Preact) keeps its API client and key store under the browser's own names.
  'apps/dashboard/src/api.client.ts',
  'apps/dashboard/src/api-key.store.ts',
];
