import { dockerAvailable } from './docker';
import { EventStoreDbStandIn } from './eventstoredb-standin';

export type Resolved<T> =
  | {
      readonly kind: 'available';
      readonly via: string;
      readonly value: T;
      readonly stop: () => Promise<void>;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

const EVENTSTORE_IMAGE = process.env.EVENTSTORE_IMAGE ?? 'eventstore/eventstore:24.10';

/** How often the stand-in writes `$statsCollected`, so live subscriptions meet system events. */
const STANDIN_STATS_INTERVAL_MS = 1_000;

/**
 * An EventStoreDB connection string, in the order ARCHITECTURE.md gives: EVENTSTORE_URL, then
 * testcontainers when a Docker engine answers, then the in-process gRPC stand-in
 * (test/support/eventstoredb-standin). The real server wins whenever it is reachable, so a
 * difference between it and the stand-in shows up there.
 */
export async function resolveEventStoreDb(): Promise<Resolved<string>> {
  if (process.env.EVENTSTORE_URL) {
    return {
      kind: 'available',
      via: 'EVENTSTORE_URL',
      value: process.env.EVENTSTORE_URL,
      stop: async () => {},
    };
  }
  if (await dockerAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(EVENTSTORE_IMAGE)
      .withEnvironment({
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_MEM_DB: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'None',
        EVENTSTORE_CLUSTER_SIZE: '1',
      })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
      .start();
    const url = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
    return {
      kind: 'available',
      via: `testcontainers (${EVENTSTORE_IMAGE})`,
      value: url,
      stop: async () => void (await container.stop()),
    };
  }
  try {
    const standIn = await EventStoreDbStandIn.start({
      host: '127.0.0.1',
      port: 0,
      statsIntervalMs: STANDIN_STATS_INTERVAL_MS,
    });
    return {
      kind: 'available',
      via: 'EventStoreDB stand-in (gRPC, test/support)',
      value: standIn.connectionString,
      stop: () => standIn.stop(),
    };
  } catch (error) {
    return {
      kind: 'unavailable',
      reason:
        'EVENTSTORE_URL is not set, no Docker engine answers for testcontainers and the ' +
        `stand-in did not start: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
