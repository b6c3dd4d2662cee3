import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTopic } from '@rapport/messaging/testing';
import { describeIfAvailable, kafkaAvailability } from '@rapport/test-support';
import { startIngest, type RunningIngest } from '../kafka/ingest.harness';
import {
  cancellation,
  keyed,
  publish,
  purchase,
  testKafkaConfig,
  testKafkaEnv,
  until,
} from '../kafka/kafka-test.fixtures';
import { ensureCliBuilt, rapport } from './rapport-cli';

jest.setTimeout(90_000);

/**
 * `rapport dlq list|replay` against a real Kafka-protocol broker: a cancellation that arrives
 * before its purchase is dead-lettered; once the purchase is in, re-driving it records it,
 * once, and the dead letter is no longer waiting.
 */
describeIfAvailable('rapport dlq', kafkaAvailability(), (brokers) => {
  let dir: string;
  let ingest: RunningIngest | undefined;
  beforeAll(() => ensureCliBuilt(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-dlq-'));
  });
  afterEach(async () => {
    await ingest?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists dead letters with their reason and re-drives them after the fix, recording each once', async () => {
    const env = testKafkaEnv(brokers);
    const config = testKafkaConfig(brokers, env);
    const cliEnv = {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: env.KAFKA_TOPIC,
      DATA_DIR: join(dir, 'cli-data'),
    };
    ingest = await startIngest(config, join(dir, 'events.db'));
    const early = cancellation('C-DLQ', 'O-9');
    await publish(config, [keyed(early)]);
    expect(await readTopic(config.brokers, config.dlqTopic, 1, 30_000)).toHaveLength(1);

    const listed = await rapport(['dlq', 'list', '--json'], cliEnv);
    expect(listed.code).toBe(0);
    const letters = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(JSON.stringify(letters[0])).toContain(early.touchpointId);

    await publish(config, [keyed(purchase('C-DLQ', 'O-9', 1200))]);
    await until(
      async () => (await ingest!.store.readStream('customer-C-DLQ')).length === 1,
      30_000,
      'the purchase',
    );

    const before = await rapport(['status', '--json'], cliEnv);
    expect(JSON.parse(before.stdout).deadLetters).toMatchObject({ waiting: 1, total: 1 });

    const redrive = await rapport(['dlq', 'replay'], cliEnv);
    if (redrive.code !== 0) throw new Error(redrive.stderr);
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('re-drove 1 dead letters');
    await until(
      async () => (await ingest!.store.readStream('customer-C-DLQ')).length === 2,
      30_000,
      'the re-driven cancellation',
    );
    const types = (await ingest.store.readStream('customer-C-DLQ')).map((e) => e.type);
    expect(types).toEqual(['PurchaseCompleted', 'OrderCancelled']);

    const waiting = await rapport(['dlq', 'list', '--json'], cliEnv);
    expect(waiting.stdout.trim()).toBe('');
    const again = await rapport(['dlq', 'replay'], cliEnv);
    expect(again.stdout).toContain('re-drove 0 dead letters');
    const after = await rapport(['status', '--json'], cliEnv);
    expect(JSON.parse(after.stdout).deadLetters).toMatchObject({ waiting: 0, total: 1 });
  });
});
