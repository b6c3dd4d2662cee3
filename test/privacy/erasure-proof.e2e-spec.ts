import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import request from 'supertest';
import { KafkaMessagePublisher } from '@rapport/messaging';
import { findValues, type Finding } from '@rapport/privacy';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  eventually,
  kafkaAvailability,
  redisAvailability,
  startPlatform,
  uniqueRedisKeyPrefix,
  type RunningPlatform,
} from '@rapport/test-support';
import { testKafkaEnv } from '../kafka/kafka-test.fixtures';

/** What the customer told us: none of it may be found anywhere after the erasure. */
const URL_WITH_EMAIL = 'https://shop.test/account?email=jane.doe%40mailbox.test&ref=nl';
const CALL_REASON = 'Janet Doughnut rang about parcel 7781, call back on +491511234567';
const RESOLUTION = 'refunded to Janet Doughnut by cheque';
const SECRETS = [
  URL_WITH_EMAIL,
  CALL_REASON,
  RESOLUTION,
  'jane.doe',
  'Janet Doughnut',
  '491511234567',
  'anon-7781-session',
];
const CUSTOMER = 'C-ERASE-1';
const OTHER = 'C-KEEP-1';

function touchpoints(customerId: string) {
  const at = (day: number) => `2026-11-0${day}T10:00:00Z`;
  const base = { source: 'proof', customerId };
  return [
    {
      ...base,
      touchpointId: `${customerId}-w`,
      type: 'web_visit',
      occurredAt: at(1),
      channel: 'web',
      data: { url: URL_WITH_EMAIL, sessionId: 'anon-7781-session' },
    },
    {
      ...base,
      touchpointId: `${customerId}-p`,
      type: 'purchase',
      occurredAt: at(2),
      channel: 'store',
      data: { orderId: 'O-1', amount: { minor: 12_000, currency: 'EUR' } },
    },
    {
      ...base,
      touchpointId: `${customerId}-c`,
      type: 'call',
      occurredAt: at(3),
      channel: 'phone',
      data: { direction: 'inbound', durationSeconds: 90, reason: CALL_REASON },
    },
    {
      ...base,
      touchpointId: `${customerId}-k`,
      type: 'complaint',
      occurredAt: at(4),
      channel: 'phone',
      data: { complaintId: 'K-1', category: 'delivery' },
    },
    {
      ...base,
      touchpointId: `${customerId}-r`,
      type: 'complaint_resolved',
      occurredAt: at(5),
      channel: 'phone',
      data: { complaintId: 'K-1', resolution: RESOLUTION },
    },
  ];
}

/** The kept customer's own values: another person, nothing in common with SECRETS. */
function othersTouchpoints() {
  return JSON.parse(
    JSON.stringify(touchpoints(OTHER))
      .replaceAll('jane.doe', 'rob.roe')
      .replaceAll('Janet Doughnut', 'Robert Roe')
      .replaceAll('491511234567', '441632960961')
      .replaceAll('anon-7781-session', 'anon-9912-session')
      .replaceAll('7781', '9912'),
  );
}

/** Every file of the data directory, after the WAL is folded into the database files. */
function scanDataDir(dir: string): Finding[] {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.db') || n.endsWith('.sqlite'))) {
    const db = new Database(join(dir, name));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  return readdirSync(dir).flatMap((name) =>
    findValues(name, readFileSync(join(dir, name)), SECRETS),
  );
}

/** Files as they are, the -wal included (before any checkpoint). */
function scanDataDirAsIs(dir: string): Finding[] {
  return readdirSync(dir).flatMap((name) =>
    findValues(name, readFileSync(join(dir, name)), SECRETS),
  );
}

async function scanRedis(url: string, prefix: string): Promise<Finding[]> {
  const redis = new Redis(url);
  const found: Finding[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const dump = await redis.dumpBuffer(key);
        if (dump) found.push(...findValues(`redis ${key}`, dump, SECRETS));
      }
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return found;
}

/** The dead-letter topic read with kcat, as an operator would: key, value and headers. */
function scanDeadLetters(
  brokers: string,
  topic: string,
): { findings: Finding[]; count: number; out: string } {
  const read = spawnSync(
    'kcat',
    ['-C', '-b', brokers, '-t', topic, '-e', '-q', '-f', 'key=%k value=%s headers=%h\\n'],
    { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
  );
  const out = read.stdout ?? Buffer.alloc(0);
  return {
    out: out.toString(),
    findings: findValues(`dead letters ${topic}`, out, SECRETS),
    count: out
      .toString()
      .split('\n')
      .filter((l) => l.startsWith('key=')).length,
  };
}

const redis = redisAvailability();
const kafka = kafkaAvailability();

describeIfAvailable('erasure, proven on every store (Redis views)', redis, (redisUrl) => {
  describeIfAvailable('and Kafka dead letters', kafka, (brokers) => {
    let platform: RunningPlatform;
    let logs = '';
    const prefix = uniqueRedisKeyPrefix('erasure');
    const kafkaEnv = testKafkaEnv(brokers);
    const dlqTopic = `${kafkaEnv.KAFKA_TOPIC}.dlq`;

    beforeAll(async () => {
      const stream = new PassThrough();
      stream.on('data', (chunk) => (logs += chunk.toString()));
      platform = await startPlatform(
        { LOG_LEVEL: 'debug', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, ...kafkaEnv },
        undefined,
        { logs: stream },
      );
    }, 60_000);
    afterAll(async () => {
      await platform?.destroy();
      await deleteRedisNamespace(redisUrl, prefix);
    });

    it('finds none of the erased values, in any encoding, and keeps the anonymous facts', async () => {
      // Recorded over HTTP, for the customer to erase and one to keep.
      let position = '0';
      for (const customerId of [CUSTOMER, OTHER]) {
        const written = await request(platform.url)
          .post('/v1/touchpoints')
          .set(platform.auth('ingest'))
          .send(customerId === CUSTOMER ? touchpoints(customerId) : othersTouchpoints())
          .expect(202);
        expect(written.body.recorded).toBe(5);
        position = written.body.position;
      }
      // A poison message over Kafka: the customer's personal data in a dead letter.
      const publisher = new KafkaMessagePublisher({
        brokers: brokers.split(','),
        clientId: 'proof',
        ssl: false,
      });
      await publisher.connect();
      const poison = JSON.stringify({
        ...touchpoints(CUSTOMER)[2],
        touchpointId: 'bad',
        data: { reason: CALL_REASON },
      });
      // Keyed by the customer, and once without a Kafka key: its value names the customer.
      await publisher.publish(kafkaEnv.KAFKA_TOPIC, [
        { key: CUSTOMER, value: poison },
        { key: null, value: poison.replace('"bad"', '"bad-keyless"') },
      ]);
      await publisher.disconnect();
      await eventually(
        async () => expect(scanDeadLetters(brokers, dlqTopic).count).toBe(2),
        30_000,
        250,
      );
      expect(scanDeadLetters(brokers, dlqTopic).out).toContain(`rapport.sealed-for=${CUSTOMER}`);

      const view = await request(platform.url)
        .get(`/v1/customers/${CUSTOMER}`)
        .set(platform.auth('analyst'))
        .set('X-Min-Position', position)
        .expect(200);
      expect(
        view.body.recentTouchpoints.map((t: { summary: string }) => t.summary).join(),
      ).toContain('jane.doe');

      // Export: the right of access, decrypted.
      const exported = await request(platform.url)
        .get(`/v1/customers/${CUSTOMER}/export`)
        .set(platform.auth('admin'))
        .expect(200);
      expect(exported.body.events).toHaveLength(5);
      expect(exported.body.events[0].data.url).toBe(URL_WITH_EMAIL);
      expect(exported.body.events[2].data.reason).toBe(CALL_REASON);
      expect(exported.body.view.customerId).toBe(CUSTOMER);
      await request(platform.url)
        .get(`/v1/customers/${CUSTOMER}/export`)
        .set(platform.auth('analyst'))
        .expect(403);

      // Nothing in plain text in the event store even before the erasure: only ciphertext.
      expect(scanDataDirAsIs(platform.dataDir)).toEqual([]);

      await request(platform.url)
        .delete(`/v1/customers/${CUSTOMER}`)
        .set(platform.auth('admin'))
        .expect(400);
      await request(platform.url)
        .delete(`/v1/customers/${CUSTOMER}`)
        .query({ reason: 'x' })
        .set(platform.auth('analyst'))
        .expect(403);
      const erased = await request(platform.url)
        .delete(`/v1/customers/${CUSTOMER}`)
        .query({ reason: 'ticket GDPR-2026-17' })
        .set(platform.auth('admin'))
        .expect(200);
      expect(erased.body).toMatchObject({ erased: true, appended: true, keyDestroyed: true });

      const after = await request(platform.url)
        .get(`/v1/customers/${CUSTOMER}`)
        .set(platform.auth('analyst'))
        .set('X-Min-Position', erased.body.position)
        .expect(200);
      expect(after.body.erasedAt).toBeDefined();
      expect(after.body.netRevenue).toEqual(view.body.netRevenue);
      expect(after.body.orderCount).toBe(view.body.orderCount);
      expect(after.body.insights?.valueTier).toEqual(view.body.insights?.valueTier);
      expect(findValues('view', Buffer.from(JSON.stringify(after.body)), SECRETS)).toEqual([]);

      const exportedAfter = await request(platform.url)
        .get(`/v1/customers/${CUSTOMER}/export`)
        .set(platform.auth('admin'))
        .expect(200);
      expect(exportedAfter.body.events[0].data.url).toBe('(erased)');
      expect(
        findValues('export', Buffer.from(JSON.stringify(exportedAfter.body)), SECRETS),
      ).toEqual([]);

      // A rebuild from the log gives the same view as live.
      await request(platform.url)
        .post('/v1/projections/customer-view/rebuild')
        .set(platform.auth('admin'))
        .expect((res) => expect([200, 202]).toContain(res.status));
      await eventually(
        async () => {
          const rebuilt = await request(platform.url)
            .get(`/v1/customers/${CUSTOMER}`)
            .set(platform.auth('analyst'))
            .expect(200);
          const { insights: _a, position: _b, ...rebuiltView } = rebuilt.body;
          const { insights: _c, position: _d, ...liveView } = after.body;
          expect(rebuiltView).toEqual(liveView);
        },
        30_000,
        200,
      );

      // The proof: every store Rapport writes, and its logs.
      expect(scanDataDirAsIs(platform.dataDir)).toEqual([]);
      expect(scanDataDir(platform.dataDir)).toEqual([]);
      expect(await scanRedis(redisUrl, prefix)).toEqual([]);
      const letters = scanDeadLetters(brokers, dlqTopic);
      // At least once: a batch retried after its dead letters were sent sends them again.
      expect(letters.count).toBeGreaterThanOrEqual(2);
      expect(letters.findings).toEqual([]);
      expect(logs.length).toBeGreaterThan(0);
      expect(findValues('logs', Buffer.from(logs), SECRETS)).toEqual([]);

      // The other customer keeps everything.
      const kept = await request(platform.url)
        .get(`/v1/customers/${OTHER}/export`)
        .set(platform.auth('admin'))
        .expect(200);
      expect(kept.body.events[2].data.reason).toBe(othersTouchpoints()[2].data.reason);

      // A repeat is harmless.
      const again = await request(platform.url)
        .delete(`/v1/customers/${CUSTOMER}`)
        .query({ reason: 'ticket GDPR-2026-17' })
        .set(platform.auth('admin'))
        .expect(200);
      expect(again.body).toMatchObject({ appended: false, keyDestroyed: false });
    }, 120_000);
  });
});
