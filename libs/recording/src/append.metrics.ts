import { histogram } from '@rapport/metrics';

/**
 * `rapport_append_duration_seconds{outcome}`: one appendMany of the recorder (all customers of
 * a request or Kafka batch in one call). outcome: ok, conflict (some stream moved; decided
 * again) or error (the store failed).
 */
export const appendDuration = () =>
  histogram<'outcome'>({
    name: 'rapport_append_duration_seconds',
    help: 'Latency of one appendMany of the touchpoint recorder',
    labelNames: ['outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
