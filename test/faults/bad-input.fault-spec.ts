import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '@rapport/config';
import {
  DEAD_LETTER_HEADERS,
  KafkaMessagePublisher,
  type InboundMessage,
} from '@rapport/messaging';
import { isEnvelope, openDeadLetterBytes, sealedForOf, SqliteKeyStore } from '@rapport/privacy';
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

  /** Dead letters' values as sent: sealed ones opened with the key they name. */
  const openedValues = async (messages: readonly InboundMessage[]): Promise<Buffer[]> => {
    const keys = new SqliteKeyStore(join(platform.dataDir, 'keys.sqlite'));
    try {
      return await Promise.all(
        messages.map(async (m) => {
          const value = m.value?.toString('utf8') ?? null;
          const owner = sealedForOf({ ...m, key: m.key?.toString('utf8') ?? null });
          if (!owner || !isEnvelope(value)) return m.value ?? Buffer.alloc(0);
          return (await openDeadLetterBytes(owner, value, keys)) ?? Buffer.alloc(0);
        }),
      );
    } finally {
      await keys.close();
    }
  };

  const post = (body: Buffer | string) =>
    fetch(`${platform.url}/v1/touchpoints`, {
      method: 'POST',
      headers: { ...platform.auth('ingest'), 'Content-Type': 'application/json' },
      body,
    });
  const dbPath = () => join(platform.dataDir, 'events.db');
  const deadLetteredCount = () =>
    scrapeCounter(
      platform.url,
      platform.auth('analyst'),
      'rapport_kafka_touchpoints_dead_lettered_total',
    );

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
    // Byte for byte once opened (sealed with the customer's key): inspected and replayed.
    const sent = new Set(bad.map((input) => input.bytes.toString('base64')));
    const values = await openedValues(dead);
    expect(values.every((value) => sent.has(value.toString('base64')))).toBe(true);
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

  /**
   * Inputs that follow the contract's shapes but that the views could not apply, or that break
   * the key rule: refused with the reason (HTTP: the item rejected with the domain's code;
   * Kafka: a dead letter), and the customer's view, the tiers and the model fit still answer.
   */
  it('refuses money past 2^53, cancellations past what was paid and keys of another customer; views and insights stay up', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const eur = (minor: number) => ({ minor, currency: 'EUR' });
    let n = 0;
    const touchpoint = (customerId: string, type: string, data: object) => ({
      touchpointId: `edge-${++n}`,
      source: 'pos',
      customerId,
      type,
      occurredAt: '2026-05-01T10:00:00Z',
      channel: 'store',
      data,
    });
    /** For one customer: what is taken, and what is refused with which code. */
    const scenario = (customerId: string) => [
      { body: touchpoint(customerId, 'purchase', { orderId: 'O-big', amount: eur(max) }) },
      {
        body: touchpoint(customerId, 'purchase', { orderId: 'O-more', amount: eur(1e15) }),
        code: 'CUSTOMER_TOTAL_TOO_LARGE',
      },
      {
        body: touchpoint(customerId, 'purchase', { orderId: 'O-cent', amount: eur(1) }),
        code: 'CUSTOMER_TOTAL_TOO_LARGE',
      },
      {
        body: touchpoint(customerId, 'purchase', {
          orderId: 'O-1',
          amount: { minor: 1000, currency: 'USD' },
        }),
      },
      {
        body: touchpoint(customerId, 'cancellation', {
          orderId: 'O-1',
          amount: { minor: 600, currency: 'USD' },
        }),
      },
      {
        body: touchpoint(customerId, 'cancellation', {
          orderId: 'O-1',
          amount: { minor: 401, currency: 'USD' },
        }),
        code: 'CANCELLATION_EXCEEDS_PAYMENT',
      },
      {
        body: touchpoint(customerId, 'cancellation', {
          orderId: 'O-1',
          amount: { minor: 400, currency: 'USD' },
        }),
      },
      {
        body: touchpoint(customerId, 'cancellation', {
          orderId: 'O-1',
          amount: { minor: 1, currency: 'USD' },
        }),
        code: 'ORDER_ALREADY_CANCELLED',
      },
    ];
    const viewOf = async (customerId: string) => {
      const response = await fetch(`${platform.url}/v1/customers/${customerId}`, {
        headers: platform.auth('analyst'),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const expectRightView = async (customerId: string) =>
      eventually(async () => {
        const view = await viewOf(customerId);
        expect(view.status).toBe(200);
        expect(view.body).toMatchObject({
          grossRevenue: { EUR: max, USD: 1000 },
          netRevenue: { EUR: max, USD: 0 },
          cancellationCount: 2,
        });
      }, 30_000);

    // Over HTTP, one request: the refused items rejected with their codes, the rest recorded.
    const overHttp = scenario('C-edge-http');
    const response = await post(JSON.stringify(overHttp.map((s) => s.body)));
    expect(response.status).toBe(202);
    const result = (await response.json()) as { items: Array<{ status: string; code?: string }> };
    expect(result.items.map((i) => i.code ?? i.status)).toEqual(
      overHttp.map((s) => s.code ?? 'recorded'),
    );
    await expectRightView('C-edge-http');

    // Over Kafka, the same, plus bytes that are not UTF-8 and a key of another customer.
    const overKafka = scenario('C-edge-kafka');
    const notUtf8 = Buffer.from(
      JSON.stringify(touchpoint('C-edge-kafka', 'web_visit', { url: 'https://shop.example/x' })),
    );
    notUtf8[notUtf8.indexOf('x"')] = 0xff;
    const wrongKey = touchpoint('C-edge-kafka', 'web_visit', { url: 'https://shop.example/k' });
    const refusedBefore = await deadLetteredCount();
    const publisher = new KafkaMessagePublisher(kafka);
    await publisher.connect();
    try {
      await publisher.publish(kafka.topic, [
        ...overKafka.map((s) => keyed(s.body)),
        { key: 'C-edge-kafka', value: notUtf8 },
        { key: 'C-edge-other', value: JSON.stringify(wrongKey) },
      ]);
    } finally {
      await publisher.disconnect();
    }
    const expectedCodes = [
      ...overKafka.flatMap((s) => (s.code ? [s.code] : [])),
      'INVALID_JSON',
      'KEY_MISMATCH',
    ];
    await eventually(
      async () => expect(await deadLetteredCount()).toBe(refusedBefore + expectedCodes.length),
      60_000,
      100,
    );
    await expectRightView('C-edge-kafka');
    const letters = await readTopic(
      kafka.brokers,
      kafka.dlqTopic,
      KAFKA_BAD + expectedCodes.length,
      30_000,
    );
    const values = await openedValues(letters);
    const dead = letters.filter((_, i) => values[i].includes('C-edge-kafka'));
    const reasons = dead.map((m) => [
      String(m.headers[DEAD_LETTER_HEADERS.code]),
      String(m.headers[DEAD_LETTER_HEADERS.reason]),
    ]);
    expect(reasons.map(([code]) => code).sort()).toEqual([...expectedCodes].sort());
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['INVALID_JSON', 'not valid JSON: the bytes are not UTF-8'],
        ['KEY_MISMATCH', expect.stringContaining('"C-edge-other"')],
        ['CUSTOMER_TOTAL_TOO_LARGE', expect.stringContaining(`past ${max} minor units`)],
      ]),
    );
    const stored = await readAllEvents(dbPath());
    expect(stored.map((e) => e.data.touchpointId)).not.toContain(wrongKey.touchpointId);

    // The population's results still answer with both customers in it.
    const analyst = platform.auth('analyst');
    await eventually(async () => {
      expect((await fetch(`${platform.url}/v1/tiers`, { headers: analyst })).status).toBe(200);
    }, 30_000);
    const fit = await fetch(`${platform.url}/v1/model/fit`, {
      method: 'POST',
      headers: platform.auth('admin'),
    });
    expect(fit.status).toBe(200);
    report('bad input beyond the contract', {
      httpRejected: overHttp.filter((s) => s.code).length,
      kafkaDeadLettered: dead.length,
      codes: expectedCodes.join(','),
    });
  });
});
