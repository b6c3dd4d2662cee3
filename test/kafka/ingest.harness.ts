import type { KafkaConfig } from '@rapport/config';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import { KafkaBatchConsumer, type InboundMessage } from '@rapport/messaging';
import { openRecording } from '@rapport/recording';
import { TouchpointsKafkaBatchHandler } from '../../apps/ingest/src';

export interface IngestCounts {
  consumed: number;
  recorded: number;
  duplicate: number;
  retried: number;
  handled: number;
  deadLettered: string[];
  /** Partitions consumed from. */
  partitions: Set<number>;
  /** Partitions by topic at the last group join. */
  assigned: Map<string, readonly number[]>;
}

export interface RunningIngest {
  readonly store: SqliteEventStore;
  readonly counts: IngestCounts;
  stop(): Promise<void>;
}

/**
 * The Kafka ingest path as the app wires it (consumer → batch handler → recorder → SQLite),
 * without Nest, so a test can wrap the store or hook the commit.
 */
export async function startIngest(
  config: KafkaConfig,
  dbPath: string,
  options: {
    readonly wrapStore?: (store: EventStore) => EventStore;
    readonly beforeCommit?: (messages: readonly InboundMessage[]) => void | Promise<void>;
  } = {},
): Promise<RunningIngest> {
  const store = new SqliteEventStore({ path: dbPath });
  const recording = await openRecording(options.wrapStore ? options.wrapStore(store) : store);
  const counts: IngestCounts = {
    consumed: 0,
    recorded: 0,
    duplicate: 0,
    retried: 0,
    handled: 0,
    deadLettered: [],
    partitions: new Set(),
    assigned: new Map(),
  };
  const handler = new TouchpointsKafkaBatchHandler(recording.commandBus, {
    recorded: (_topic, n) => void (counts.recorded += n),
    duplicate: (_topic, n) => void (counts.duplicate += n),
  });
  const consumer = new KafkaBatchConsumer({
    config,
    beforeCommit: options.beforeCommit,
    observer: {
      consumed: (_topic, n) => void (counts.consumed += n),
      retried: (_topic, n) => void (counts.retried += n),
      deadLettered: (_topic, code) => void counts.deadLettered.push(code),
      lag: () => {},
      assigned: (topic, partitions) => void counts.assigned.set(topic, partitions),
    },
  });
  await consumer.start(async (messages) => {
    counts.partitions.add(messages[0].partition);
    const outcome = await handler.handle(messages);
    counts.handled += messages.length;
    return outcome;
  });
  return {
    store,
    counts,
    stop: async () => {
      await consumer.stop();
      await recording.close();
      await store.close();
    },
  };
}
