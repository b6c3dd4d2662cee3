import type { Producer } from 'kafkajs';
import type { DeadLetter } from '../message-consumer.port';

/** Header names on a dead-lettered message; the key and value are published as handed over. */
export const DEAD_LETTER_HEADERS = {
  code: 'dlq.error.code',
  reason: 'dlq.error.reason',
  topic: 'dlq.original.topic',
  partition: 'dlq.original.partition',
  offset: 'dlq.original.offset',
  timestamp: 'dlq.original.timestamp',
  group: 'dlq.consumer.group',
  failedAt: 'dlq.failed.at',
} as const;

/** Long validation reports are cut: Kafka headers count against the message size limit. */
const MAX_REASON_LENGTH = 4000;

/**
 * Sends messages that can never succeed to the dead-letter topic and resolves only once every
 * in-sync replica has them: the caller commits the original offsets only after that.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  async publish(deadLetters: readonly DeadLetter[], failedAt = new Date()): Promise<void> {
    if (deadLetters.length === 0) return;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: deadLetters.map(({ message, code, reason }) => ({
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DEAD_LETTER_HEADERS.code]: code,
          [DEAD_LETTER_HEADERS.reason]: reason.slice(0, MAX_REASON_LENGTH),
          [DEAD_LETTER_HEADERS.topic]: message.topic,
          [DEAD_LETTER_HEADERS.partition]: String(message.partition),
          [DEAD_LETTER_HEADERS.offset]: message.offset,
          [DEAD_LETTER_HEADERS.timestamp]: message.timestamp,
          [DEAD_LETTER_HEADERS.group]: this.groupId,
          [DEAD_LETTER_HEADERS.failedAt]: failedAt.toISOString(),
        },
      })),
    });
  }
}
