/**
 * The touchpoint source port: a consumer group that hands the app one partition's batch per
 * call and moves the partition forward only when the app is done with it. Calls for different
 * partitions may overlap; a partition's next batch comes only after its previous call ended.
 * The app never sees offsets, commits or the Kafka client; switching clients touches
 * libs/messaging only.
 */
export const MESSAGE_CONSUMER = Symbol('MESSAGE_CONSUMER');

export interface InboundMessage {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Producer or broker time, milliseconds since the epoch as a decimal string. */
  readonly timestamp: string;
  readonly headers: Readonly<Record<string, Buffer | string | undefined>>;
}

/** A message that can never succeed, and why: it goes to the dead-letter topic as it came. */
export interface DeadLetter {
  readonly message: InboundMessage;
  /** Stable machine-readable code, e.g. INVALID_JSON or ORDER_NOT_FOUND. */
  readonly code: string;
  readonly reason: string;
}

export interface BatchOutcome {
  readonly deadLetters: readonly DeadLetter[];
}

export interface BatchControls {
  /** Tells the group this member is alive; call it between long steps. */
  heartbeat(): Promise<void>;
}

/**
 * Handles one partition's messages, in offset order, all or nothing: resolving means every
 * message was stored or is returned as a dead letter; throwing means none may be committed
 * and the batch is delivered again later (an error is taken as transient, never as poison).
 */
export type BatchHandler = (
  messages: readonly InboundMessage[],
  controls: BatchControls,
) => Promise<BatchOutcome>;

export interface MessageConsumer {
  /** Joins the group and starts handing batches to the handler; resolves once it runs. */
  start(handler: BatchHandler): Promise<void>;
  /** Finishes the batch in flight, commits it, leaves the group. */
  stop(): Promise<void>;
}

/** What the consumer reports as it goes; the app turns it into metrics. */
export interface ConsumerObserver {
  consumed(topic: string, count: number): void;
  deadLettered(topic: string, code: string, count: number): void;
  retried(topic: string, count: number): void;
  lag(topic: string, partition: number, lag: number): void;
  /** This member's partitions of `topic` after it joined (or rejoined) its group. */
  assigned(topic: string, partitions: readonly number[]): void;
}
