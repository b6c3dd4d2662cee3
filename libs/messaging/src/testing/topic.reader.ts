import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../message-consumer.port';
import { createKafkaClient } from '../kafka/kafka.client';

/**
 * Reads a topic from the beginning with a throw-away group until `count` messages arrived or
 * the time is up (then returns what it has, so an assertion can say what is missing).
 */
export async function readTopic(
  brokers: readonly string[],
  topic: string,
  count: number,
  timeoutMs = 15_000,
): Promise<InboundMessage[]> {
  const kafka = createKafkaClient({ brokers, clientId: 'rapport-test-reader', ssl: false });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const messages: InboundMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          messages.push({
            topic,
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            timestamp: message.timestamp,
            headers: (message.headers ?? {}) as InboundMessage['headers'],
          });
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
