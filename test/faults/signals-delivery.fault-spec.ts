import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventIdFor } from '@rapport/domain';
import { readWithKcat, type ConsumedSignal } from '@rapport/signal-delivery/testing';
import { signalId } from '@rapport/signals';
import { describeIfAvailable, kafkaAvailability, startMock } from '@rapport/test-support';
import { testKafkaEnv } from '../kafka/kafka-test.fixtures';
import { BrokerCut, socketDestroyWorks } from './support/broker-cut';
import { spawnPlatform } from './support/child-platform';
import { sleep, waitUntil } from './support/consistency';
import { DirectWriter } from './support/direct-writer';
import { report } from './support/fault-report';
import { faultSeed, SeededRandom } from './support/seeded-random';
import type { TouchpointMessage } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 10);
/** Several publishing batches (500 each) a round, so that a kill can land between a send and its mark. */
const PER_ROUND = 1_200;
jest.setTimeout(15 * 60_000);

/** Signals the ledger has marked published (read beside the child, as another process would). */
function publishedCount(ledgerPath: string): number {
  if (!existsSync(ledgerPath)) return 0;
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const row = db.prepare('SELECT COUNT(*) AS n FROM signals WHERE published = 1').get() as {
      n: number;
    };
    return row.n;
  } catch {
    return 0; // the child has not created the table yet
  } finally {
    db.close();
  }
}

describeIfAvailable(
  'signals: SIGKILL between publish and mark, and a broker outage',
  kafkaAvailability(),
  () => {
    it('ends with every due signal on the topic, and no id with two contents', async () => {
      // A cluster of its own: the outage must not reach the other suites' shared mock.
      const mock = await startMock();
      const dir = mkdtempSync(join(tmpdir(), 'rapport-fault-signals-'));
      const seed = faultSeed(8_031);
      const random = new SeededRandom(seed);
      const topic = `customer-signals-${seed}-${process.pid}`;
      const env = testKafkaEnv(mock.value, {
        DATA_DIR: dir,
        SIGNALS_TOPIC: topic,
        SIGNALS_SWEEP_SECONDS: '1',
      });
      const ledgerPath = join(dir, 'signals.db');
      const writer = new DirectWriter(join(dir, 'events.db'));
      const expected = new Set<string>();
      let sequence = 0;
      // Each new customer's first purchase, an hour back: one thank-you each, due and not expired.
      const round = async () => {
        const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
        const messages: TouchpointMessage[] = Array.from({ length: PER_ROUND }, () => {
          const n = ++sequence;
          const customerId = `S-${n}`;
          const touchpointId = `sig-fault-${n}`;
          expected.add(
            signalId(
              'thank-you',
              1,
              { kind: 'customer', id: customerId },
              `first-purchase:${eventIdFor('fault', touchpointId)}`,
            ),
          );
          return {
            touchpointId,
            source: 'fault',
            customerId,
            type: 'purchase',
            occurredAt,
            channel: 'web',
            data: { orderId: `O-${n}`, amount: { minor: 100 + n, currency: 'EUR' } },
          } as TouchpointMessage;
        });
        await writer.record(messages);
      };
      let killsMidPublishing = 0;
      let outage = 'skipped (ss -K cannot destroy sockets here)';
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          const child = spawnPlatform(env);
          try {
            await child.ready;
            const before = publishedCount(ledgerPath);
            await round();
            // Seeded in published signals: the kill comes once publishing got that far.
            const target = before + random.int(1, PER_ROUND - 1);
            await waitUntil(
              () => publishedCount(ledgerPath) >= target,
              60_000,
              'the kill point',
              1,
            );
            await child.kill();
            if (publishedCount(ledgerPath) < sequence) killsMidPublishing++;
          } finally {
            await child.kill();
          }
        }

        const child = spawnPlatform(env);
        try {
          await child.ready;
          if (await socketDestroyWorks()) {
            const ports = mock.value.split(',').map((address) => Number(address.split(':').pop()));
            const cuts = ports.map((port) => new BrokerCut(port));
            const started = Date.now();
            for (const cut of cuts) cut.start();
            await round();
            await sleep(4_000);
            for (const cut of cuts) cut.stop();
            outage = `${Date.now() - started}ms on ${ports.length} brokers`;
          } else {
            await round();
          }
          await waitUntil(
            () => publishedCount(ledgerPath) >= sequence,
            120_000,
            'every signal published',
            50,
          );
        } finally {
          await child.stop();
        }

        const consumed: ConsumedSignal[] = await readWithKcat(mock.value, topic);
        const contents = new Map<string, Set<string>>();
        for (const message of consumed) {
          if (!contents.has(message.id)) contents.set(message.id, new Set());
          contents.get(message.id)!.add(message.payload);
        }
        const missing = [...expected].filter((id) => !contents.has(id));
        const unexpected = [...contents.keys()].filter((id) => !expected.has(id));
        const twoContents = [...contents]
          .filter(([, payloads]) => payloads.size > 1)
          .map(([id]) => id);
        expect({ missing, unexpected, twoContents }).toEqual({
          missing: [],
          unexpected: [],
          twoContents: [],
        });
        report('signals delivery', {
          seed,
          kills: KILLS,
          killsMidPublishing,
          signals: expected.size,
          messages: consumed.length,
          redelivered: consumed.length - contents.size,
          outage,
        });
      } finally {
        await writer.close();
        await mock.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
