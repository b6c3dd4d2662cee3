import { collectDefaultMetrics, register, type Registry } from 'prom-client';

let defaultsCollected = false;

/**
 * The process-wide Prometheus registry. Components register their metrics on it through
 * `counter`, `gauge` and `histogram` (./metric) and /metrics serves it.
 */
export function metricsRegistry(): Registry {
  if (!defaultsCollected) {
    collectDefaultMetrics({ register, prefix: 'rapport_' });
    defaultsCollected = true;
  }
  return register;
}
