import {
  Counter,
  Gauge,
  Histogram,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import { metricsRegistry } from './metrics.registry';

/**
 * One metric per name in the process-wide registry: several apps in one process (the
 * platform, the tests) share it instead of failing on a second registration.
 */
export function histogram<L extends string>(
  config: Omit<HistogramConfiguration<L>, 'registers'>,
): Histogram<L> {
  const existing = metricsRegistry().getSingleMetric(config.name);
  if (existing) return existing as Histogram<L>;
  return new Histogram<L>({ ...config, registers: [metricsRegistry()] });
}

export function gauge<L extends string>(
  config: Omit<GaugeConfiguration<L>, 'registers'>,
): Gauge<L> {
  const existing = metricsRegistry().getSingleMetric(config.name);
  if (existing) return existing as Gauge<L>;
  return new Gauge<L>({ ...config, registers: [metricsRegistry()] });
}

export function counter<L extends string>(
  config: Omit<CounterConfiguration<L>, 'registers'>,
): Counter<L> {
  const existing = metricsRegistry().getSingleMetric(config.name);
  if (existing) return existing as Counter<L>;
  return new Counter<L>({ ...config, registers: [metricsRegistry()] });
}
