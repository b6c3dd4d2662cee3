/** What other apps (the platform) and test harnesses may use of the ingest app. */
export { IngestModule } from './ingest.module';
export { KafkaIngestModule } from './record-touchpoint/kafka-ingest.module';
export { TouchpointsKafkaBatchHandler } from './record-touchpoint/touchpoints.kafka.batch-handler';
export { CustomerErasureModule } from './erase-customer/customer-erasure.module';
