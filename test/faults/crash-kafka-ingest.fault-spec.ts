import { join } from 'node:path';
import { loadConfig } from '@rapport/config';
import {
  describeIfAvailable,
  kafkaAvailability,
  redisServerInstalled,
} from '@rapport/test-support';
import { keyed, publish, testKafkaEnv } from '../kafka/kafka-test.fixtures';
import { spawnPlatform } from './support/child-platform';
import {
  exactlyOnce,
  readAllEvents,
  eventCounter,
  touchpointKey,
  viewsMatchRebuild,
  waitUntil,
} from './support/consistency';
import { report } from './support/fault-report';
import { privateRedisAndDataDir } from './support/private-redis-and-dir';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
const PER_ROUND = 600;
const CUSTOMERS = 80;
jest.setTimeout(10 * 60_000);

describeIfAvailable('crash: Kafka ingest killed mid-batch', kafkaAvailability(), (brokers) => {
  beforeAll(() => {
    if (!redisServerInstalled()) throw new Error('the crash scenarios need redis-server');
  });
  const resources = privateRedisAndDataDir('rapport-fault-kafka-');

  it(`records every published touchpoint exactly once across ${KILLS} SIGKILLs`, async () => {
    const { redis, dir } = resources;
    const seed = faultSeed(8_002);
    const random = new SeededRandom(seed);
    // Small fetches make many batches per round. The session stays at 6 s, the broker's
    // minimum (group.min.session.timeout.ms): the successor takes over when it expires.
    const kafkaEnv = testKafkaEnv(brokers, { KAFKA_MAX_BYTES_PER_PARTITION: '2048' });
    const kafka = loadConfig(kafkaEnv).kafka!;
    const env = { ...kafkaEnv, DATA_DIR: dir, REDIS_URL: redis.url, PROJECTOR_BATCH_SIZE: '50' };
    const dbPath = join(dir, 'events.db');
    const published = new Set<string>();
    let sequence = 0;
    // The topic must exist before the consumer joins (an absent one costs a minute of
    // metadata retries against the mock cluster).
    const first = randomTouchpoint(random, 'k', ++sequence, CUSTOMERS);
    await publish(kafka, [keyed(first)]);
    published.add(touchpointKey(first));
    let killsMidStream = 0;
    let redelivered = 0;
    const takeover: number[] = [];

    for (let round = 0; round <= KILLS; round++) {
      const child = spawnPlatform(env);
      try {
        await child.ready;
        const started = Date.now();
        await waitUntil(
          async () => (await readAllEvents(dbPath)).length >= published.size,
          60_000,
          `round ${round}: the successor to record all ${published.size} touchpoints`,
        );
        takeover.push(Date.now() - started);
        const events = await readAllEvents(dbPath);
        // Every message published is valid, so one dead-lettered would show up as missing.
        const once = exactlyOnce(events, published);
        expect({
          round,
          missing: once.missing,
          doubled: once.doubled,
          unexpected: once.unexpected,
        }).toEqual({ round, missing: [], doubled: [], unexpected: [] });
        const views = await viewsMatchRebuild(redis.url, events);
        expect({ round, problems: views.problems }).toEqual({ round, problems: [] });
        if (round === KILLS) break;

        const batch = Array.from({ length: PER_ROUND }, () =>
          randomTouchpoint(random, 'k', ++sequence, CUSTOMERS),
        );
        // Some of them again: a producer retry is a redelivery the store must absorb.
        const repeats = batch.slice(0, random.int(0, 20));
        redelivered += repeats.length;
        // The kill point is seeded in events of this round recorded, not in ms: the consumer
        // gets through a round faster than a producer connects, so a delay would mostly land
        // before or after it.
        const target = published.size + random.int(1, PER_ROUND - 1);
        const counter = eventCounter(dbPath);
        try {
          const publishing = publish(kafka, [...batch, ...repeats].map(keyed));
          for (const t of batch) published.add(touchpointKey(t));
          await waitUntil(() => counter.count() >= target, 30_000, 'the kill point', 2);
          await child.kill();
          await publishing;
          const left = published.size - counter.count();
          if (left > 0 && left < PER_ROUND) killsMidStream++;
        } finally {
          counter.close();
        }
      } finally {
        await child.kill();
      }
    }

    report('crash Kafka ingest', {
      seed,
      kills: KILLS,
      killsWithTheRoundPartlyRecorded: killsMidStream,
      published: published.size,
      producerRepeats: redelivered,
      lost: 0,
      doubled: 0,
      maxTakeoverMs: Math.max(...takeover),
    });
  });
});
