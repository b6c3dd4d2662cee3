import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '@rapport/config';
import { DEAD_LETTER_HEADERS, KafkaMessagePublisher } from '@rapport/messaging';
import { readTopic } from '@rapport/messaging/testing';
import {
  describeIfAvailable,
  eventually,
  kafkaAvailability,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';
import { keyed, testKafkaEnv } from '../kafka/kafka-test.fixtures';
import { exactlyOnce, readAllEvents, touchpointKey } from './support/consistency';
import { report } from './support/fault-report';
import { malformedTouchpoint, type MalformedInput } from './support/malformed-touchpoints';
import { settledHeapBytes } from './support/heap';
import { scrapeCounter } from './support/metrics';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint, type TouchpointMessage } from './support/touchpoints';

const HTTP_RUNS = Number(process.env.FAULT_BAD_INPUT_RUNS ?? 1_500);
const KAFKA_BAD = 600;
const KAFKA_GOOD = 200;
/** Retained heap growth over the whole barrage (after a full GC), test process included. */
const HEAP_BOUND_MB = 32;
jest.setTimeout(300_000);

interface Problem {
  status?: number;
  code?: string;
  detail?: string;
  errors?: Array<{ index?: number; path?: string; message?: string }>;
}

describeIfAvailable('bad input over HTTP and Kafka', kafkaAvailability(), (brokers) => {
  let platform: RunningPlatform;
  const env = testKafkaEnv(brokers);
  const kafka = loadConfig(env).kafka!;
  const seed = faultSeed(8_007);
  const random = new SeededRandom(seed);
  let sequence = 0;
  const valid = () => randomTouchpoint(random, 'v', ++sequence, 40);
  const byKind = new Map<string, number>();
  const count = (input: MalformedInput) =>
    byKind.set(input.kind, (byKind.get(input.kind) ?? 0) + 1);

  beforeAll(async () => {
    platform = await startPlatform(env);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const post = (body: Buffer | string) =>
    fetch(`${platform.url}/v1/touchpoints`, {
      method: 'POST',
      headers: { ...platform.auth('ingest'), 'Content-Type': 'application/json' },
      body,
    });
  const dbPath = () => join(platform.dataDir, 'events.db');

  it('refuses every malformed touchpoint over HTTP with 400 problem details, and stays up', async () => {
    const heapBefore = settledHeapBytes();
    const storedBefore = (await readAllEvents(dbPath())).length;
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(malformedTouchpoint(), async (input) => {
        tried++;
        count(input);
        const response = await post(input.bytes);
        const body = (await response.json()) as Problem;
        expect({ kind: input.kind, status: response.status }).toEqual({
          kind: input.kind,
          status: 400,
        });
        expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
        // A clear reason: every broken field named by its path, or why the body isn't JSON.
        if (body.errors?.length) {
          for (const error of body.errors) expect(error.message).toBeTruthy();
        } else {
          expect(body.detail).toMatch(/JSON/);
        }
      }),
      { numRuns: HTTP_RUNS, seed },
    );
    expect((await readAllEvents(dbPath())).length).toBe(storedBefore);
    expect((await fetch(`${platform.url}/health/live`)).status).toBe(200);
    expect(Object.prototype).not.toHaveProperty('polluted');
    const heapGrowthMb = (settledHeapBytes() - heapBefore) / 2 ** 20;
    expect(heapGrowthMb).toBeLessThan(HEAP_BOUND_MB);
    report('bad input HTTP', {
      seed,
      inputsTried: tried,
      rejected400: tried,
      kinds: [...byKind].map(([k, n]) => `${k}:${n}`).join(','),
      heapGrowthMb: heapGrowthMb.toFixed(1),
      heapBoundMb: HEAP_BOUND_MB,
    });
  });

  it('refuses a batch with one bad item whole, naming its index; a separate valid request lands', async () => {
    const [bad] = fc.sample(malformedTouchpoint(10_000), { numRuns: 1, seed });
    const before = valid();
    const after = valid();
    const badText = bad.bytes.toString('utf8');
    const parsed = (() => {
      try {
        return JSON.parse(badText) as unknown;
      } catch {
        return { touchpointId: 42 };
      }
    })();
    const response = await post(JSON.stringify([before, parsed, after]));
    expect(response.status).toBe(400);
    const body = (await response.json()) as Problem;
    expect(new Set(body.errors?.map((e) => e.index))).toEqual(new Set([1]));
    const stored = await readAllEvents(dbPath());
    expect(exactlyOnce(stored, new Set(), new Set()).unexpected).not.toContain(
      touchpointKey(before),
    );

    const alone = await post(JSON.stringify([before, after]));
    expect(alone.status).toBe(202);
    expect(
      exactlyOnce(await readAllEvents(dbPath()), new Set([before, after].map(touchpointKey)))
        .missing,
    ).toEqual([]);
  });

  it('dead-letters every malformed Kafka message with a reason, and records the valid ones beside them', async () => {
    const bad = fc.sample(malformedTouchpoint(20_000), { numRuns: KAFKA_BAD, seed: seed + 1 });
    const good: TouchpointMessage[] = Array.from({ length: KAFKA_GOOD }, valid);
    // Interleaved, keyed like real traffic, so valid and invalid share partitions and batches.
    const messages = [
      ...bad.map((input, i) => ({ key: `C-v-${(i % 40) + 1}`, value: input.bytes })),
      ...good.map(keyed),
    ];
    for (let i = messages.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [messages[i], messages[j]] = [messages[j], messages[i]];
    }
    const publisher = new KafkaMessagePublisher(kafka);
    await publisher.connect();
    try {
      for (let i = 0; i < messages.length; i += 50)
        await publisher.publish(kafka.topic, messages.slice(i, i + 50));
    } finally {
      await publisher.disconnect();
    }
    const deadLettered = () =>
      scrapeCounter(
        platform.url,
        platform.auth('analyst'),
        'rapport_kafka_touchpoints_dead_lettered_total',
      );
    await eventually(async () => expect(await deadLettered()).toBe(KAFKA_BAD), 60_000, 100);
    await eventually(
      async () =>
        expect(
          exactlyOnce(await readAllEvents(dbPath()), new Set(good.map(touchpointKey))).missing,
        ).toEqual([]),
      30_000,
    );
    const dead = await readTopic(kafka.brokers, kafka.dlqTopic, KAFKA_BAD, 30_000);
    expect(dead).toHaveLength(KAFKA_BAD);
    const codes = new Map<string, number>();
    for (const message of dead) {
      const code = String(message.headers[DEAD_LETTER_HEADERS.code] ?? '');
      expect(code).toMatch(/^(INVALID_JSON|UNKNOWN_TOUCHPOINT_TYPE|CONTRACT_VIOLATION)$/);
      expect(String(message.headers[DEAD_LETTER_HEADERS.reason] ?? '')).not.toBe('');
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // Byte for byte: what was refused can be inspected and replayed.
    const sent = new Set(bad.map((input) => input.bytes.toString('base64')));
    expect(dead.every((m) => sent.has((m.value ?? Buffer.alloc(0)).toString('base64')))).toBe(true);
    expect((await fetch(`${platform.url}/health/live`)).status).toBe(200);
    report('bad input Kafka', {
      seed,
      malformedPublished: KAFKA_BAD,
      deadLettered: dead.length,
      codes: [...codes].map(([c, n]) => `${c}:${n}`).join(','),
      validInSameBatches: KAFKA_GOOD,
      validRecorded: KAFKA_GOOD,
    });
  });
});
