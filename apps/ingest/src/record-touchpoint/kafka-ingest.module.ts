import { Module } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { KafkaBatchConsumer, MESSAGE_CONSUMER } from '@rapport/messaging';
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
      inject: [RAPPORT_CONFIG, TouchpointsKafkaMetrics],
      useFactory: (config: RapportConfig, observer: TouchpointsKafkaMetrics) => {
        if (!config.kafka) throw new Error('KafkaIngestModule needs KAFKA_BROKERS');
        return new KafkaBatchConsumer({ config: config.kafka, observer });
      },
    },
    TouchpointsKafkaConsumer,
  ],
})
export class KafkaIngestModule {}
