import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Availability } from './availability';
import { dockerAvailable } from './docker';
import type { Resolved } from './eventstoredb';

const KAFKA_IMAGE = process.env.KAFKA_IMAGE ?? 'confluentinc/cp-kafka:7.7.1';
const KCAT = process.env.KCAT_PATH ?? '/usr/bin/kcat';
const MOCK_BROKERS = 3;
const MOCK_START_TIMEOUT_MS = 10_000;

/**
 * Kafka bootstrap servers (comma-separated), in the order ARCHITECTURE.md gives: KAFKA_BROKERS,
 * then testcontainers when a Docker engine answers, then librdkafka's mock cluster through
 * kcat — a Kafka-protocol broker with known limits (4 partitions per auto-created topic, no
 * admin API, ~5 MiB kept per partition).
 */
export async function resolveKafka(): Promise<Resolved<string>> {
  if (process.env.KAFKA_BROKERS) {
    return {
      kind: 'available',
      via: 'KAFKA_BROKERS',
      value: process.env.KAFKA_BROKERS,
      stop: async () => {},
    };
  }
  if (await dockerAvailable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
    return {
      kind: 'available',
      via: `testcontainers (${KAFKA_IMAGE})`,
      value: `${container.getHost()}:${container.getMappedPort(9093)}`,
      stop: async () => void (await container.stop()),
    };
  }
  if (!existsSync(KCAT)) {
    return {
      kind: 'unavailable',
      reason:
        'KAFKA_BROKERS is not set, no Docker engine answers for testcontainers and kcat ' +
        `(librdkafka's mock cluster) is not installed at ${KCAT}: apt-get install kcat`,
    };
  }
  try {
    return { kind: 'available', via: 'librdkafka mock cluster (kcat)', ...(await startMock()) };
  } catch (error) {
    return {
      kind: 'unavailable',
      reason: `the kcat mock cluster did not start: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * kcat in mock mode prints the cluster's address on stderr (debug "mock") and serves it while
 * its stdin stays open. The debug output goes on for every request, so it is drained.
 */
export function startMock(): Promise<{ value: string; stop: () => Promise<void> }> {
  const child = spawn(
    KCAT,
    [
      '-P',
      '-t',
      'rapport-warmup',
      '-X',
      `test.mock.num.brokers=${MOCK_BROKERS}`,
      '-d',
      'mock',
      '-b',
      'mock:1',
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.ref();
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    let seen = '';
    let found = false;
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no bootstrap.servers line within ${MOCK_START_TIMEOUT_MS} ms`));
    }, MOCK_START_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (found) return;
      seen += chunk.toString('utf8');
      const match = /bootstrap\.servers=(\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        found = true;
        resolve({ value: match[1], stop });
      }
    });
    child.unref();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  });
}

/** What global-setup resolved for Kafka (read synchronously at collection time). */
export function kafkaAvailability(): Availability<string> {
  const brokers = process.env.RAPPORT_TEST_KAFKA_BROKERS;
  if (brokers)
    return {
      available: true,
      via: process.env.RAPPORT_TEST_KAFKA_VIA ?? 'environment',
      value: brokers,
    };
  return {
    available: false,
    reason: process.env.RAPPORT_TEST_KAFKA_SKIP ?? 'global setup did not resolve Kafka',
  };
}
