import { collectDefaultMetrics, register, type Registry } from 'prom-client';

let defaultsCollected = false;

/**
 * The process-wide Prometheus registry. Components register their counters and gauges on it
 * (`new Counter({ name, help, registers: [metricsRegistry()] })`) and /metrics serves it.
 */
export function metricsRegistry(): Registry {
  if (!defaultsCollected) {
    collectDefaultMetrics({ register, prefix: 'rapport_' });
    defaultsCollected = true;
  }
  return register;
}
