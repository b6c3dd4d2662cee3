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

/** Per gauge name, how the app that registered last reads its value at scrape time. */
const scrapeReaders = new Map<string, (gauge: Gauge<string>) => void | Promise<void>>();

/**
 * A gauge measured at scrape time (no timer to keep running) by `read`, from the app that
 * registered it last: several apps in one process share the gauge, and each measures only
 * its own stores. Returns what detaches `read` when its app closes (a newer app's is kept).
 */
export function gaugeReadAtScrape<L extends string>(
  config: Omit<GaugeConfiguration<L>, 'registers' | 'collect'>,
  read: (gauge: Gauge<L>) => void | Promise<void>,
): () => void {
  const reader = read as unknown as (gauge: Gauge<string>) => void | Promise<void>;
  scrapeReaders.set(config.name, reader);
  gauge<L>({
    ...config,
    async collect() {
      await scrapeReaders.get(config.name)?.(this as unknown as Gauge<string>);
    },
  });
  return () => {
    if (scrapeReaders.get(config.name) === reader) scrapeReaders.delete(config.name);
  };
}

/** The metric registered under `name`, or the one `create` registers on the process registry. */
function registered<M extends Metric>(name: string, create: (registers: Registry[]) => M): M {
  const registry = metricsRegistry();
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
