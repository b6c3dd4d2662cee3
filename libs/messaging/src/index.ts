export * from './message-consumer.port';
export * from './message-publisher.port';
export { DEAD_LETTER_HEADERS } from './kafka/dead-letter.publisher';
export { KafkaBatchConsumer, type KafkaBatchConsumerOptions } from './kafka/kafka-batch.consumer';
export { KafkaMessagePublisher } from './kafka/kafka.message-publisher';
export {
  countDeadLetters,
  readDeadLetters,
  redriveDeadLetters,
  DEAD_LETTER_REDRIVE_GROUP,
  type DeadLetterCount,
  type DeadLetterRecord,
} from './kafka/dead-letters';
