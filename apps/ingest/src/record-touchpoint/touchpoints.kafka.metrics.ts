import { Injectable } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { counter, gauge } from '@rapport/http';
import type { ConsumerObserver } from '@rapport/messaging';

/** Kafka ingest counters, lag and assignment on the process registry (served at /metrics). */
@Injectable()
export class TouchpointsKafkaMetrics implements ConsumerObserver {
  private readonly consumedTotal: Counter<'topic'>;
  private readonly recordedTotal: Counter<'topic'>;
  private readonly duplicateTotal: Counter<'topic'>;
  private readonly deadLetteredTotal: Counter<'topic' | 'code'>;
  private readonly retriedTotal: Counter<'topic'>;
  private readonly lagGauge: Gauge<'topic' | 'partition'>;
  private readonly assignedGauge: Gauge<'topic'>;

  constructor() {
    this.consumedTotal = counter({
      name: 'rapport_kafka_touchpoints_consumed_total',
      help: 'Touchpoint messages taken from Kafka (redeliveries included)',
      labelNames: ['topic'],
    });
    this.recordedTotal = counter({
      name: 'rapport_kafka_touchpoints_recorded_total',
      help: 'Touchpoint messages that became a new event',
      labelNames: ['topic'],
    });
    this.duplicateTotal = counter({
      name: 'rapport_kafka_touchpoints_duplicate_total',
      help: 'Touchpoint messages already recorded (redelivered or sent twice)',
      labelNames: ['topic'],
    });
    this.deadLetteredTotal = counter({
      name: 'rapport_kafka_touchpoints_dead_lettered_total',
      help: 'Touchpoint messages sent to the dead-letter topic, by error code',
      labelNames: ['topic', 'code'],
    });
    this.retriedTotal = counter({
      name: 'rapport_kafka_touchpoints_retried_total',
      help: 'Touchpoint messages whose batch failed transiently and will be tried again',
      labelNames: ['topic'],
    });
    this.lagGauge = gauge({
      name: 'rapport_kafka_consumer_lag',
      help: 'Messages behind the partition end after the last committed batch',
      labelNames: ['topic', 'partition'],
    });
    this.assignedGauge = gauge({
      name: 'rapport_kafka_assigned_partitions',
      help: 'Partitions of each topic this consumer was assigned when it last joined its group',
      labelNames: ['topic'],
    });
  }

  consumed(topic: string, count: number): void {
    this.consumedTotal.inc({ topic }, count);
  }

  recorded(topic: string, count: number): void {
    if (count) this.recordedTotal.inc({ topic }, count);
  }

  duplicate(topic: string, count: number): void {
    if (count) this.duplicateTotal.inc({ topic }, count);
  }

  deadLettered(topic: string, code: string, count: number): void {
    this.deadLetteredTotal.inc({ topic, code }, count);
  }

  retried(topic: string, count: number): void {
    this.retriedTotal.inc({ topic }, count);
  }

  lag(topic: string, partition: number, lag: number): void {
    this.lagGauge.set({ topic, partition: String(partition) }, lag);
  }

  assigned(topic: string, partitions: readonly number[]): void {
    this.assignedGauge.set({ topic }, partitions.length);
  }
}
