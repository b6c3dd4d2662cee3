import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreUnavailableError, type EventStore } from '@rapport/event-store';
import { DEAD_LETTER_HEADERS } from '@rapport/messaging';
import { readTopic } from '@rapport/messaging/testing';
import { randomUUID } from 'node:crypto';
import {
  describeIfAvailable,
  eventStoreDbAvailability,
  eventually,
  kafkaAvailability,
  startPlatform,
} from '@rapport/test-support';
import { startIngest, type RunningIngest } from './ingest.harness';
import {
  cancellation,
  keyed,
  publish,
  purchase,
  testKafkaConfig,
  testKafkaEnv,
  until,
  webVisit,
} from './kafka-test.fixtures';

jest.setTimeout(60_000);

describeIfAvailable('Kafka ingest', kafkaAvailability(), (brokers) => {
  let dir: string;
  const running: RunningIngest[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-kafka-'));
  });

  afterEach(async () => {
    for (const ingest of running.splice(0)) await ingest.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ingest(...args: Parameters<typeof startIngest>): Promise<RunningIngest> {
    const started = await startIngest(...args);
    running.push(started);
    return started;
  }

  async function eventIds(ingest: RunningIngest): Promise<string[]> {
    return (await ingest.store.readAll()).map((e) => e.id);
  }

  describe('when touchpoints arrive on the topic', () => {
    it('lands them in the customer view of the platform', async () => {
      const env = testKafkaEnv(brokers);
      const platform = await startPlatform(env);
      try {
        await publish(testKafkaConfig(brokers, env), [
          keyed(purchase('C-K1', 'O-1', 4999)),
          keyed(webVisit('C-K1')),
          keyed(webVisit('C-K2')),
        ]);
        const view = await eventually(async () => {
          const response = await fetch(`${platform.url}/v1/customers/C-K1`, {
            headers: platform.auth('analyst'),
          });
          const body = (await response.json()) as { touchpointCount: number; orderCount: number };
          expect(response.status).toBe(200);
          expect(body.touchpointCount).toBe(2);
          return body;
        }, 20_000);
        expect(view.orderCount).toBe(1);
        const metrics = await (
          await fetch(`${platform.url}/metrics`, { headers: platform.auth('analyst') })
        ).text();
        expect(metrics).toMatch(/^rapport_kafka_assigned_partitions\{topic="[^"]+"\} [1-9]/m);
      } finally {
        await platform.destroy();
      }
    });
  });

  describe('when the platform runs on EventStoreDB', () => {
    const esdb = eventStoreDbAvailability();
    (esdb.available ? it : it.skip)(
      `lands them in the customer view (EventStoreDB via ${esdb.available ? esdb.via : 'nothing: ' + esdb.reason})`,
      async () => {
        if (!esdb.available) return;
        const env = { ...testKafkaEnv(brokers), EVENTSTORE_URL: esdb.value };
        const platform = await startPlatform(env);
        // The EventStoreDB server is shared by every test file: customers of their own.
        const customer = `C-ES-${randomUUID().slice(0, 8)}`;
        try {
          await publish(testKafkaConfig(brokers, env), [
            keyed(purchase(customer, 'O-1', 4999)),
            keyed(webVisit(customer)),
          ]);
          const view = await eventually(async () => {
            const response = await fetch(`${platform.url}/v1/customers/${customer}`, {
              headers: platform.auth('analyst'),
            });
            const body = (await response.json()) as { touchpointCount: number; orderCount: number };
            expect(response.status).toBe(200);
            expect(body.touchpointCount).toBe(2);
            return body;
          }, 20_000);
          expect(view.orderCount).toBe(1);
        } finally {
          await platform.destroy();
        }
      },
    );
  });

  describe('when a batch holds messages that can never succeed', () => {
    it('dead-letters each with its reason and the original coordinates, and records the rest', async () => {
      const config = testKafkaConfig(brokers);
      const notJson = Buffer.from([0x7b, 0x22, 0xff, 0x00]);
      const unknownType = JSON.stringify({ ...webVisit('C-P'), type: 'tweet' });
      const invalid = JSON.stringify({ ...webVisit('C-P'), channel: 'fax' });
      const messages = [
        keyed(webVisit('C-P')),
        keyed(webVisit('C-P')),
        { key: 'C-P', value: notJson, headers: { trace: 'abc' } },
        keyed(webVisit('C-P')),
        { key: 'C-P', value: unknownType },
        { key: 'C-P', value: invalid },
        keyed(webVisit('C-P')),
      ];
      await publish(config, messages);
      const consumer = await ingest(config, join(dir, 'events.db'));

      await until(() => consumer.counts.handled >= messages.length, 20_000, 'the batch');
      expect(await eventIds(consumer)).toHaveLength(4);
      const dead = await readTopic(config.brokers, config.dlqTopic, 3);
      expect(dead.map((m) => String(m.headers[DEAD_LETTER_HEADERS.code]))).toEqual([
        'INVALID_JSON',
        'UNKNOWN_TOUCHPOINT_TYPE',
        'CONTRACT_VIOLATION',
      ]);
      expect(dead[0].value).toEqual(notJson);
      expect(dead[0].key?.toString()).toBe('C-P');
      expect(String(dead[0].headers.trace)).toBe('abc');
      expect(dead[1].value?.toString()).toBe(unknownType);
      expect(String(dead[2].headers[DEAD_LETTER_HEADERS.reason])).toMatch(
        /^channel: channel must be one of/,
      );
      const original = dead.map((m) => ({
        topic: String(m.headers[DEAD_LETTER_HEADERS.topic]),
        offset: String(m.headers[DEAD_LETTER_HEADERS.offset]),
        partition: String(m.headers[DEAD_LETTER_HEADERS.partition]),
        timestamp: String(m.headers[DEAD_LETTER_HEADERS.timestamp]),
      }));
      expect(original.map((o) => o.offset)).toEqual(['2', '4', '5']);
      expect(original.every((o) => o.topic === config.topic)).toBe(true);
      expect(new Set(original.map((o) => o.partition)).size).toBe(1);
      expect(original.every((o) => /^\d{13}$/.test(o.timestamp))).toBe(true);
      expect(consumer.counts.deadLettered).toHaveLength(3);
    });

    it('dead-letters a touchpoint that breaks an invariant with its domain code', async () => {
      const config = testKafkaConfig(brokers);
      await publish(config, [
        keyed(purchase('C-I', 'O-9', 1000)),
        keyed(cancellation('C-I', 'O-404')),
        keyed(cancellation('C-I', 'O-9')),
      ]);
      const consumer = await ingest(config, join(dir, 'events.db'));

      const [dead] = await readTopic(config.brokers, config.dlqTopic, 1);
      expect(String(dead.headers[DEAD_LETTER_HEADERS.code])).toBe('ORDER_NOT_FOUND');
      expect(String(dead.headers[DEAD_LETTER_HEADERS.reason])).toMatch(/order O-404/);
      expect(JSON.parse(dead.value!.toString()).data.orderId).toBe('O-404');
      await until(() => consumer.counts.recorded === 2, 10_000, 'the valid touchpoints');
      const types = (await consumer.store.readAll()).map((e) => e.type);
      expect(types).toEqual(['PurchaseCompleted', 'OrderCancelled']);
    });

    it('dead-letters a touchpoint id sent for a second customer, naming the first', async () => {
      const config = testKafkaConfig(brokers);
      const first = webVisit('C-T1');
      const second = { ...webVisit('C-T2'), touchpointId: first.touchpointId };
      // The two customers' messages may land on different partitions: the first goes first.
      await publish(config, [keyed(first)]);
      const consumer = await ingest(config, join(dir, 'events.db'));
      await until(() => consumer.counts.recorded === 1, 30_000, 'the first customer');
      await publish(config, [keyed(second), keyed(first)]);

      const [dead] = await readTopic(config.brokers, config.dlqTopic, 1);
      expect(String(dead.headers[DEAD_LETTER_HEADERS.code])).toBe(
        'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER',
      );
      expect(String(dead.headers[DEAD_LETTER_HEADERS.reason])).toBe(
        `touchpoint ${first.touchpointId} of source web was first recorded for customer C-T1; a touchpoint id belongs to one customer`,
      );
      expect(JSON.parse(dead.value!.toString()).customerId).toBe('C-T2');
      await until(() => consumer.counts.duplicate === 1, 10_000, 'the redelivery');
      const events = await consumer.store.readAll();
      expect(events.map((e) => e.streamName)).toEqual(['customer-C-T1']);
    });
  });

  describe('when a consumer dies between append and commit', () => {
    it('redelivers the batch to its successor, which finds every touchpoint already recorded', async () => {
      const env = testKafkaEnv(brokers);
      const config = testKafkaConfig(brokers, env);
      const touchpoints = Array.from({ length: 40 }, (_, i) => webVisit(`C-X${i % 8}`));
      await publish(config, touchpoints.map(keyed));
      const dbPath = join(dir, 'events.db');

      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          join(__dirname, 'kafka-ingest.child.ts'),
        ],
        {
          env: { ...process.env, ...env, CHILD_DB_PATH: dbPath },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const signal = await new Promise((resolve) =>
        child.once('exit', (_code, sig) => resolve(sig)),
      );
      expect(signal).toBe('SIGKILL');
      expect(output).toContain('appended');

      const successor = await ingest(config, dbPath);
      const appendedBeforeDeath = (await eventIds(successor)).length;
      expect(appendedBeforeDeath).toBeGreaterThan(0);
      await until(() => successor.counts.handled >= 40, 30_000, 'all 40 touchpoints');
      const ids = await eventIds(successor);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
      expect(successor.counts.duplicate).toBeGreaterThanOrEqual(appendedBeforeDeath);
      expect(successor.counts.deadLettered).toEqual([]);
    });
  });

  describe('when the event store is down for a while', () => {
    it('retries with backoff, pausing the partition, and loses or dead-letters nothing', async () => {
      const config = testKafkaConfig(brokers);
      await publish(
        config,
        Array.from({ length: 20 }, (_, i) => keyed(webVisit(`C-O${i % 5}`))),
      );
      let outages = 6;
      const flaky = (store: EventStore): EventStore =>
        new Proxy(store, {
          get(target, property, receiver) {
            if (property === 'appendMany' && outages > 0) {
              return async () => {
                outages -= 1;
                throw new EventStoreUnavailableError('simulated outage');
              };
            }
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      const consumer = await ingest(config, join(dir, 'events.db'), { wrapStore: flaky });

      await until(async () => (await eventIds(consumer)).length === 20, 30_000, 'all 20 events');
      expect(outages).toBe(0);
      expect(consumer.counts.retried).toBeGreaterThanOrEqual(6);
      expect(consumer.counts.deadLettered).toEqual([]);
      expect(consumer.counts.recorded).toBe(20);
    });
  });

  describe('when two consumers share the group', () => {
    it('splits the partitions and records every message once', async () => {
      const config = testKafkaConfig(brokers);
      const dbPath = join(dir, 'events.db');
      const [a, b] = await Promise.all([ingest(config, dbPath), ingest(config, dbPath)]);
      // Published once both are in the same generation: had one joined alone first, it could
      // take every message before the group rebalanced.
      const partitionsOf = (ingest: RunningIngest) =>
        ingest.counts.assigned.get(config.topic) ?? [];
      // A rebalance can last up to kafkajs's rebalance timeout (60 s) while the coordinator
      // waits for a member to rejoin; under a loaded full run this took over 30 s once.
      await until(
        () =>
          partitionsOf(a).length > 0 &&
          partitionsOf(b).length > 0 &&
          !partitionsOf(a).some((p) => partitionsOf(b).includes(p)),
        90_000,
        'both consumers to hold partitions of their own',
      );
      const touchpoints = Array.from({ length: 200 }, (_, i) => webVisit(`C-S${i % 50}`));
      await publish(config, touchpoints.map(keyed));

      await until(
        () => a.counts.recorded + b.counts.recorded >= 200,
        30_000,
        'both consumers to record 200 touchpoints',
      );
      expect(a.counts.recorded + b.counts.recorded).toBe(200);
      expect(a.counts.partitions.size).toBeGreaterThan(0);
      expect(b.counts.partitions.size).toBeGreaterThan(0);
      expect([...a.counts.partitions].filter((p) => b.counts.partitions.has(p))).toEqual([]);
      const ids = await eventIds(a);
      expect(new Set(ids).size).toBe(200);
      expect(ids).toHaveLength(200);
    }, 150_000);
  });
});
