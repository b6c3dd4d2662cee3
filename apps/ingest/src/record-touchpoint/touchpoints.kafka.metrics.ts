import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { gauge, metricsRegistry } from '@rapport/http';
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
    const registry = metricsRegistry();
    // Several apps may share a process (the platform, tests): reuse what is registered.
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      (registry.getSingleMetric(name) as Counter<L> | undefined) ??
      new Counter({ name, help, labelNames, registers: [registry] });
    this.consumedTotal = counter(
      'rapport_kafka_touchpoints_consumed_total',
      'Touchpoint messages taken from Kafka (redeliveries included)',
      ['topic'],
    );
    this.recordedTotal = counter(
      'rapport_kafka_touchpoints_recorded_total',
      'Touchpoint messages that became a new event',
      ['topic'],
    );
    this.duplicateTotal = counter(
      'rapport_kafka_touchpoints_duplicate_total',
      'Touchpoint messages already recorded (redelivered or sent twice)',
      ['topic'],
    );
    this.deadLetteredTotal = counter(
      'rapport_kafka_touchpoints_dead_lettered_total',
      'Touchpoint messages sent to the dead-letter topic, by error code',
      ['topic', 'code'],
    );
    this.retriedTotal = counter(
      'rapport_kafka_touchpoints_retried_total',
      'Touchpoint messages whose batch failed transiently and will be tried again',
      ['topic'],
    );
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
