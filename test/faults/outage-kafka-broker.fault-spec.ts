import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@rapport/config';
import { KafkaMessagePublisher } from '@rapport/messaging';
import {
  describeIfAvailable,
  eventually,
  kafkaAvailability,
  startMock,
  startPlatform,
} from '@rapport/test-support';
import { keyed, testKafkaEnv } from '../kafka/kafka-test.fixtures';
import { BrokerCut, socketDestroyWorks } from './support/broker-cut';
import { exactlyOnce, readAllEvents, sleep, touchpointKey } from './support/consistency';
import { report } from './support/fault-report';
import { scrapeCounter } from './support/metrics';
import { SeededRandom } from './support/seeded-random';
import { randomTouchpoint, type TouchpointMessage } from './support/touchpoints';

jest.setTimeout(180_000);

describeIfAvailable('outage: one Kafka broker of three lost', kafkaAvailability(), () => {
  it('ingest resumes without loss, doubling or dead letters', async () => {
    if (!(await socketDestroyWorks())) {
      process.stdout.write(
        '[faults] outage Kafka broker: SKIPPED (ss -K cannot destroy sockets here)\n',
      );
      return;
    }
    // A cluster of its own: the outage must not reach the other suites' shared mock.
    const mock = await startMock();
    const dir = mkdtempSync(join(tmpdir(), 'rapport-fault-broker-'));
    const env = testKafkaEnv(mock.value);
    const kafka = loadConfig(env).kafka!;
    const platform = await startPlatform(env, dir);
    const publisher = new KafkaMessagePublisher(kafka);
    const random = new SeededRandom(8_006);
    const acked = new Set<string>();
    const unacked = new Set<string>();
    let sequence = 0;
    const send = async (batch: TouchpointMessage[]) => {
      try {
        await publisher.publish(kafka.topic, batch.map(keyed));
        for (const t of batch) acked.add(touchpointKey(t));
      } catch {
        for (const t of batch) unacked.add(touchpointKey(t));
      }
    };
    const batch = () =>
      Array.from({ length: 20 }, () => randomTouchpoint(random, 'b', ++sequence, 50));
    const dbPath = join(dir, 'events.db');
    const ports = mock.value.split(',').map((address) => Number(address.split(':').pop()));
    const outages: string[] = [];
    try {
      await publisher.connect();
      await send(batch());
      await eventually(
        async () => expect((await readAllEvents(dbPath)).length).toBe(acked.size),
        60_000,
      );

      // Each broker in turn: whichever leads partitions or coordinates the group is hit once.
      for (const port of ports) {
        const cut = new BrokerCut(port);
        const started = Date.now();
        cut.start();
        for (let i = 0; i < 5; i++) {
          await send(batch());
          await sleep(300);
        }
        await sleep(Math.max(0, 4_000 - (Date.now() - started)));
        cut.stop();
        outages.push(`${port}:${Date.now() - started}ms/${cut.cuts}cuts`);
        await send(batch());
      }
      const recoveryStarted = Date.now();
      await eventually(
        async () =>
          expect(exactlyOnce(await readAllEvents(dbPath), acked, unacked).missing).toEqual([]),
        90_000,
        200,
      );
      const resumedMs = Date.now() - recoveryStarted;
      const once = exactlyOnce(await readAllEvents(dbPath), acked, unacked);
      expect(once).toMatchObject({ missing: [], doubled: [], unexpected: [] });
      const dead = await scrapeCounter(
        platform.url,
        platform.auth('analyst'),
        'rapport_kafka_touchpoints_dead_lettered_total',
      );
      expect(dead).toBe(0);
      report('outage Kafka broker', {
        method: 'ss -K on one broker port of a 3-broker mock cluster, each broker in turn',
        outages: outages.join(','),
        acked: acked.size,
        publishFailedDuringOutage: unacked.size,
        recorded: once.events,
        lost: 0,
        doubled: 0,
        deadLettered: dead,
        allLandedMsAfterLastOutage: resumedMs,
      });
    } finally {
      await publisher.disconnect().catch(() => {});
      await platform.destroy();
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
