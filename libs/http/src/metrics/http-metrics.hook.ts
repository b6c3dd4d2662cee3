import type { FastifyInstance } from 'fastify';
import { histogram } from '@rapport/metrics';

const httpDuration = () =>
  histogram<'method' | 'route' | 'status'>({
    name: 'rapport_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

/**
 * Times every request. The route label is the pattern (`/v1/customers/:customerId`), never the
 * URL: ids would make the label set unbounded and carry personal data into the metrics.
 */
export function measureRequests(instance: FastifyInstance): void {
  const metric = httpDuration();
  instance.addHook('onResponse', (request, reply, done) => {
    metric.observe(
      {
        method: request.method,
        // No pattern when no route matched (the not-found handler answered).
        route: request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'),
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1_000,
    );
    done();
  });
}
