import { resolveEventStoreDb } from './eventstoredb';
import { resolveKafka } from './kafka';
import { resolveRedis } from './redis';

/**
 * Resolves every external dependency once, before any test file is collected, and hands the
 * result to the test workers through the environment. Suites read it synchronously and are
 * declared skipped (counted as skipped by Jest) when a dependency is unavailable.
 */
export default async function globalSetup(): Promise<void> {
  const stops: Array<() => Promise<void>> = [];
  const esdb = await resolveEventStoreDb();
  if (esdb.kind === 'available') {
    process.env.RAPPORT_TEST_EVENTSTORE_URL = esdb.value;
    process.env.RAPPORT_TEST_EVENTSTORE_VIA = esdb.via;
    stops.push(esdb.stop);
  } else {
    process.env.RAPPORT_TEST_EVENTSTORE_SKIP = esdb.reason;
  }
  const redis = await resolveRedis();
  if (redis.kind === 'available') {
    process.env.RAPPORT_TEST_REDIS_URL = redis.value;
    process.env.RAPPORT_TEST_REDIS_VIA = redis.via;
    stops.push(redis.stop);
  } else {
    process.env.RAPPORT_TEST_REDIS_SKIP = redis.reason;
  }
  const kafka = await resolveKafka();
  if (kafka.kind === 'available') {
    process.env.RAPPORT_TEST_KAFKA_BROKERS = kafka.value;
    process.env.RAPPORT_TEST_KAFKA_VIA = kafka.via;
    stops.push(kafka.stop);
  } else {
    process.env.RAPPORT_TEST_KAFKA_SKIP = kafka.reason;
  }
  (globalThis as { __rapportStops?: typeof stops }).__rapportStops = stops;
}
