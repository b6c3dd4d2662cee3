import {
  Counter,
  Gauge,
  Histogram,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
  type Registry,
} from 'prom-client';
import { metricsRegistry } from './metrics.registry';

/**
 * One metric per name in the process-wide registry: several apps in one process (the
 * platform, the tests) share it instead of failing on a second registration.
 */
export function histogram<L extends string>(
  config: Omit<HistogramConfiguration<L>, 'registers'>,
): Histogram<L> {
  return registered(config.name, (registers) => new Histogram<L>({ ...config, registers }));
}

export function gauge<L extends string>(
  config: Omit<GaugeConfiguration<L>, 'registers'>,
): Gauge<L> {
  return registered(config.name, (registers) => new Gauge<L>({ ...config, registers }));
}

export function counter<L extends string>(
  config: Omit<CounterConfiguration<L>, 'registers'>,
): Counter<L> {
  return registered(config.name, (registers) => new Counter<L>({ ...config, registers }));
}

/** The metric registered under `name`, or the one `create` registers on the process registry. */
function registered<M extends Metric>(name: string, create: (registers: Registry[]) => M): M {
  const registry = metricsRegistry();
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
