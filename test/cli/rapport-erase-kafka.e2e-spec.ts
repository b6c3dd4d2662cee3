import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { KafkaMessagePublisher } from '@rapport/messaging';
import { readTopic } from '@rapport/messaging/testing';
import {
  describeIfAvailable,
  kafkaAvailability,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';
import { testKafkaEnv } from '../kafka/kafka-test.fixtures';
import { ensureCliBuilt, rapport } from './rapport-cli';

// Each CLI run is a process of its own, and with Kafka configured it reads the dead letters
// (a consumer group joins the mock cluster): seconds each under load.
jest.setTimeout(300_000);

const CUSTOMER = 'C-FORGET-K';
const EMAIL = 'lena.quist@mailbox.test';
const CALL_REASON = `Lena Quist asked to be called back, mail ${EMAIL}`;
const ERASED_VALUES = [CALL_REASON, 'Lena Quist', EMAIL];

/**
 * `rapport erase --verify` with Kafka configured: it reads the dead-letter topic and opens
 * what it can. A letter of the customer's, sealed with their key, holds an erased value: the
 * check finds it there before the erasure, and not after it (the key is gone). A letter naming
 * nobody is sealed with its day's key, and the note says until when it stays readable.
 */
describeIfAvailable('rapport erase --verify with Kafka', kafkaAvailability(), (brokers) => {
  let dir: string;
  let platform: RunningPlatform | undefined;
  beforeAll(() => ensureCliBuilt(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-erase-kafka-'));
  });
  afterEach(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a value in a dead letter of the customer before the erasure, and not after', async () => {
    const kafkaEnv = testKafkaEnv(brokers);
    const dataDir = join(dir, 'data');
    const dlqTopic = `${kafkaEnv.KAFKA_TOPIC}.dlq`;
    platform = await startPlatform(kafkaEnv, dataDir);
    await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send({
        source: 'cli-erase',
        customerId: CUSTOMER,
        touchpointId: `${CUSTOMER}-c`,
        type: 'call',
        occurredAt: '2026-10-03T09:00:00Z',
        channel: 'phone',
        data: { direction: 'inbound', durationSeconds: 60, reason: CALL_REASON },
      })
      .expect(202);
    // Poison over Kafka: the call without its direction (keyed by the customer), and a
    // keyless value that is not JSON and names nobody.
    const publisher = new KafkaMessagePublisher({
      brokers: brokers.split(','),
      clientId: 'cli-erase',
      ssl: false,
    });
    await publisher.connect();
    await publisher.publish(kafkaEnv.KAFKA_TOPIC, [
      {
        key: CUSTOMER,
        value: JSON.stringify({
          source: 'cli-erase',
          customerId: CUSTOMER,
          touchpointId: 'bad',
          type: 'call',
          occurredAt: '2026-10-04T09:00:00Z',
          channel: 'phone',
          data: { reason: CALL_REASON },
        }),
      },
      { key: null, value: 'not json: a parcel for Olaf Kett' },
    ]);
    await publisher.disconnect();
    // At least once: a letter may be published twice (a batch retried around a rebalance).
    const letters = await readTopic(brokers.split(','), dlqTopic, 2, 60_000);
    expect(letters.length).toBeGreaterThanOrEqual(2);
    await platform.stop();
    platform = undefined;

    const cliEnv = {
      DATA_DIR: dataDir,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: kafkaEnv.KAFKA_TOPIC,
    };
    const values = join(dir, 'values.txt');
    writeFileSync(values, `${ERASED_VALUES.join('\n')}\n`);
    const verify = () => rapport(['erase', '--verify', CUSTOMER, '--values', values], cliEnv);

    const before = await verify();
    expect(before.code).toBe(6);
    expect(before.stdout).toContain(`customer ${CUSTOMER} is NOT erased`);
    expect(before.stdout).toMatch(
      /value #1 found \(\w+\) in dead letter \d+\/\d+ \(sealed with the customer's key, opened\)/,
    );
    expect(before.stdout).toMatch(
      /[1-9]\d* dead letters sealed with the customer's key can still be opened: the key exists/,
    );
    expect(before.stdout).toMatch(
      /note: \d+ dead letters read; [1-9]\d* sealed with the customer's key/,
    );
    for (const value of ERASED_VALUES) expect(before.stdout).not.toContain(value);

    const erased = await rapport(['erase', CUSTOMER, '--reason', 'ticket GDPR-21'], cliEnv);
    expect({ code: erased.code, stderr: erased.stderr }).toEqual({ code: 0, stderr: '' });

    const after = await verify();
    expect({ code: after.code, stdout: after.stdout }).toMatchObject({ code: 0 });
    expect(after.stdout).toMatch(
      new RegExp(`^customer ${CUSTOMER} is erased: 2 events checked, 3 values not found`),
    );
    expect(after.stdout).toMatch(
      /note: \d+ dead letters read; [1-9]\d* sealed with the customer's key/,
    );
    expect(after.stdout).not.toMatch(/value #\d+ found/);
    expect(after.stdout).toMatch(
      /note: [1-9]\d* naming no customer still readable until \d{4}-\d\d-\d\dT00:00:00\.000Z \(their day keys, DEAD_LETTER_KEY_DAYS=7\): opened and scanned for the values/,
    );
    const json = JSON.parse(
      (await rapport(['erase', '--verify', CUSTOMER, '--values', values, '--json'], cliEnv)).stdout,
    );
    expect(json).toMatchObject({ erased: true, problems: [] });
    expect(json.scanned).toContainEqual(
      expect.stringMatching(new RegExp(`^\\d+ dead letters in ${dlqTopic}$`)),
    );
  });
});
