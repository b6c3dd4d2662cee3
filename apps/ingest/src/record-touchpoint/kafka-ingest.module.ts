import { Module } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { KafkaBatchConsumer, MESSAGE_CONSUMER } from '@rapport/messaging';
import { KEY_STORE, SealingMessageConsumer, type KeyStore } from '@rapport/privacy';
import { IngestModule } from '../ingest.module';
import { TouchpointsKafkaConsumer } from './touchpoints.kafka.consumer';
import { TouchpointsKafkaMetrics } from './touchpoints.kafka.metrics';

/** Touchpoints from Kafka; imported by the apps only when KAFKA_BROKERS is set. */
@Module({
  imports: [IngestModule],
  providers: [
    TouchpointsKafkaMetrics,
    {
      provide: MESSAGE_CONSUMER,
      inject: [RAPPORT_CONFIG, TouchpointsKafkaMetrics, { token: KEY_STORE, optional: true }],
      useFactory: (config: RapportConfig, observer: TouchpointsKafkaMetrics, keys?: KeyStore) => {
        if (!config.kafka) throw new Error('KafkaIngestModule needs KAFKA_BROKERS');
        const consumer = new KafkaBatchConsumer({ config: config.kafka, observer });
        // Dead letters sealed with their customer's key are shredded by the erasure.
        return keys && config.privacy.encryption === 'on'
          ? new SealingMessageConsumer(consumer, keys, {
              unattributedKeyDays: config.privacy.deadLetterKeyDays,
            })
          : consumer;
      },
    },
    TouchpointsKafkaConsumer,
  ],
})
export class KafkaIngestModule {}
