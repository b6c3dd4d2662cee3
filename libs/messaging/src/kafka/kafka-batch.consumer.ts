import { Logger } from '@nestjs/common';
import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { KafkaConfig } from '@rapport/config';
import type {
  BatchHandler,
  ConsumerObserver,
  InboundMessage,
  MessageConsumer,
} from '../message-consumer.port';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { createKafkaClient } from './kafka.client';
import { RetryBackoff } from './retry.backoff';

export interface KafkaBatchConsumerOptions {
  readonly config: KafkaConfig;
  readonly observer?: ConsumerObserver;
  /** Topics to consume; default the configured one (a benchmark spreads over several). */
  readonly topics?: readonly string[];
  /**
   * Runs after a batch is stored and its dead letters are acknowledged, before its offset is
   * resolved. A seam for crash tests (kill the process between append and commit).
   */
  readonly beforeCommit?: (messages: readonly InboundMessage[]) => Promise<void> | void;
}

const NO_OBSERVER: ConsumerObserver = {
  consumed: () => {},
  deadLettered: () => {},
  retried: () => {},
  lag: () => {},
  assigned: () => {},
};

/**
 * A kafkajs consumer group member that moves a partition forward only past messages that were
 * stored or dead-lettered: offsets are resolved and committed after the handler and the
 * dead-letter produce succeeded, never before and never automatically. A failing batch is
 * retried with backoff and then its partition paused, so no message is ever skipped.
 */
export class KafkaBatchConsumer implements MessageConsumer {
  private readonly logger = new Logger(KafkaBatchConsumer.name);
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly observer: ConsumerObserver;
  private readonly backoff: RetryBackoff;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(private readonly options: KafkaBatchConsumerOptions) {
    const { config } = options;
    const kafka = createKafkaClient(config);
    this.consumer = kafka.consumer({
      groupId: config.groupId,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: config.heartbeatIntervalMs,
      maxBytesPerPartition: config.batch.maxBytesPerPartition,
      maxBytes: config.batch.maxBytes,
      maxWaitTimeInMs: config.batch.maxWaitMs,
    });
    this.producer = kafka.producer({
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.deadLetters = new DeadLetterPublisher(this.producer, config.dlqTopic, config.groupId);
    this.observer = options.observer ?? NO_OBSERVER;
    this.backoff = new RetryBackoff(config.retry);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const topics = Object.entries(payload.memberAssignment);
      this.logger.log(
        `joined group ${payload.groupId}: ` +
          (topics.map(([t, p]) => `${t}[${p.join(',')}]`).join(' ') || 'no partitions'),
      );
      for (const [topic, partitions] of topics) this.observer.assigned(topic, partitions);
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) =>
      this.logger.error(
        `consumer crashed (restarting: ${payload.restart}): ${payload.error.message}`,
      ),
    );
  }

  async start(handler: BatchHandler): Promise<void> {
    const { topic, fromBeginning } = this.options.config;
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...(this.options.topics ?? [topic])], fromBeginning });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.config.batch.partitionsConcurrently,
      eachBatch: (payload) => this.eachBatch(payload, handler),
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    // kafkajs waits for the batch in flight (which commits) before it leaves the group.
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    if (batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const messages = batch.messages.map((m) => toInbound(topic, partition, m));
    this.observer.consumed(topic, messages.length);
    const controls = { heartbeat: () => payload.heartbeat() };

    for (let attempt = 1; isRunning() && !isStale(); attempt++) {
      let deadLetters;
      try {
        ({ deadLetters } = await this.withHeartbeats(payload, () => handler(messages, controls)));
        await this.deadLetters.publish(deadLetters);
      } catch (error) {
        const delayMs = this.backoff.failed(topic, partition);
        this.observer.retried(topic, messages.length);
        const pausing = attempt >= this.options.config.retry.attemptsBeforePause;
        this.logger.warn(
          `${topic}[${partition}] offsets ${batch.firstOffset()}–${batch.lastOffset()} failed ` +
            `(attempt ${attempt}): ${describe(error)}; ` +
            (pausing ? `pausing the partition for ${delayMs} ms` : `retrying in ${delayMs} ms`),
        );
        if (pausing) return this.pauseFor(payload, delayMs);
        await this.sleepWithHeartbeats(payload, delayMs);
        continue;
      }
      for (const { code } of deadLetters) this.observer.deadLettered(topic, code, 1);
      await this.options.beforeCommit?.(messages);
      payload.resolveOffset(batch.lastOffset());
      // An error here (a rebalance) goes to kafkajs, which rejoins; the resolved offset is
      // committed by the next commit, or the batch is redelivered and found to be duplicates.
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      this.backoff.succeeded(topic, partition);
      this.observer.lag(
        topic,
        partition,
        Math.max(0, Number(batch.highWatermark) - Number(batch.lastOffset()) - 1),
      );
      return;
    }
  }

  /** Keeps the membership alive while a long batch is appended. */
  private async withHeartbeats<T>(payload: EachBatchPayload, work: () => Promise<T>): Promise<T> {
    const interval = Math.max(100, Math.floor(this.options.config.heartbeatIntervalMs / 2));
    const timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        this.logger.debug(`heartbeat during a batch failed: ${describe(error)}`);
      });
    }, interval);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private async sleepWithHeartbeats(payload: EachBatchPayload, ms: number): Promise<void> {
    await this.withHeartbeats(payload, () => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Nothing of the batch was resolved, so when the partition resumes kafkajs fetches again from
   * the first message of this batch; other partitions go on meanwhile.
   */
  private pauseFor(payload: EachBatchPayload, ms: number): void {
    const resume = payload.pause();
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, ms);
    this.resumeTimers.add(timer);
  }
}

function toInbound(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    timestamp: message.timestamp,
    headers: (message.headers ?? {}) as InboundMessage['headers'],
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
