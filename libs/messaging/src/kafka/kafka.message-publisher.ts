import { Partitioners, type Producer } from 'kafkajs';
import type { MessagePublisher, OutboundMessage } from '../message-publisher.port';
import { createKafkaClient, type KafkaConnection } from './kafka.client';

/** Publishes with acks from all in-sync replicas; kafkajs retries transient broker errors. */
export class KafkaMessagePublisher implements MessagePublisher {
  private readonly producer: Producer;

  constructor(connection: KafkaConnection) {
    this.producer = createKafkaClient(connection).producer({
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async publish(topic: string, messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: m.value,
        ...(m.headers ? { headers: { ...m.headers } } : {}),
      })),
    });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
