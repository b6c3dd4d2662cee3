import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '@rapport/config';
import {
  describeIfAvailable,
  eventually,
  kafkaAvailability,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';
import { keyed, publish, testKafkaEnv } from '../kafka/kafka-test.fixtures';
import { exactlyOnce, readAllEvents, sleep, touchpointKey } from './support/consistency';
import { report } from './support/fault-report';
import { scrapeCounter } from './support/metrics';
import { SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

jest.setTimeout(120_000);

describeIfAvailable(
  'outage: event store locked by another connection',
  kafkaAvailability(),
  (brokers) => {
    let platform: RunningPlatform;
    const env = testKafkaEnv(brokers, { SQLITE_BUSY_TIMEOUT_MS: '100' });
    const kafka = loadConfig(env).kafka!;

    beforeAll(async () => {
      platform = await startPlatform(env);
    });
    afterAll(async () => {
      await platform?.destroy();
    });

    const post = (body: unknown) =>
      fetch(`${platform.url}/v1/touchpoints`, {
        method: 'POST',
        headers: { ...platform.auth('ingest'), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const counter = (name: string) => scrapeCounter(platform.url, platform.auth('analyst'), name);

    it('answers 503 with Retry-After over HTTP and retries Kafka messages until it returns', async () => {
      const random = new SeededRandom(8_005);
      let sequence = 0;
      const dbPath = join(platform.dataDir, 'events.db');
      const warmup = randomTouchpoint(random, 'l', ++sequence, 20);
      await publish(kafka, [keyed(warmup)]);
      await eventually(async () => expect(await readAllEvents(dbPath)).toHaveLength(1), 30_000);

      // A second connection takes SQLite's write lock and holds it.
      const blocker = new Database(dbPath);
      blocker.pragma('busy_timeout = 5000');
      blocker.exec('BEGIN IMMEDIATE');
      const lockedAt = Date.now();
      const refused = randomTouchpoint(random, 'l', ++sequence, 20);
      const kafkaBatch = Array.from({ length: 50 }, () =>
        randomTouchpoint(random, 'l', ++sequence, 20),
      );
      let retriesWhileLocked: number;
      try {
        const response = await post(refused);
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(await response.json()).toMatchObject({
          status: 503,
          code: 'EVENT_STORE_UNAVAILABLE',
        });

        await publish(kafka, kafkaBatch.map(keyed));
        await eventually(
          async () =>
            expect(await counter('rapport_kafka_touchpoints_retried_total')).toBeGreaterThan(0),
          20_000,
        );
        await sleep(2_000);
        retriesWhileLocked = await counter('rapport_kafka_touchpoints_retried_total');
        expect(await counter('rapport_kafka_touchpoints_dead_lettered_total')).toBe(0);
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }
      const lockedMs = Date.now() - lockedAt;

      await eventually(
        async () => expect(await readAllEvents(dbPath)).toHaveLength(1 + kafkaBatch.length),
        30_000,
      );
      const events = await readAllEvents(dbPath);
      const once = exactlyOnce(events, new Set([warmup, ...kafkaBatch].map(touchpointKey)));
      // The refused touchpoint is not there: a 503 means nothing was recorded.
      expect(once).toMatchObject({ missing: [], doubled: [], unexpected: [] });
      expect(await counter('rapport_kafka_touchpoints_dead_lettered_total')).toBe(0);
      // And the client's retry lands once the store is back.
      expect((await post(refused)).status).toBe(202);
      expect(
        exactlyOnce(
          await readAllEvents(dbPath),
          new Set([warmup, refused, ...kafkaBatch].map(touchpointKey)),
        ),
      ).toMatchObject({ missing: [], doubled: [], unexpected: [] });

      report('outage event store (SQLite write lock)', {
        lockedMs,
        http: '503+Retry-After, nothing recorded',
        kafkaMessagesHeld: kafkaBatch.length,
        kafkaRetries: retriesWhileLocked,
        deadLettered: 0,
        landedAfterRelease: kafkaBatch.length,
      });
    });
  },
);
