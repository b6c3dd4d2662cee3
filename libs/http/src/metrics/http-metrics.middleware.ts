import type { NextFunction, Request, Response } from 'express';
import { histogram } from './metric';

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
export function httpMetricsMiddleware() {
  const metric = httpDuration();
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metric.startTimer();
    response.once('finish', () => {
      const route = (request.route as { path?: unknown } | undefined)?.path;
      end({
        method: request.method,
        route: typeof route === 'string' ? request.baseUrl + route : 'unmatched',
        status: String(response.statusCode),
      });
    });
    next();
  };
}
