import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@rapport/event-store';
import { KafkaMessagePublisher } from '@rapport/messaging';
import { Projector } from '@rapport/projector';
import type { Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { DEFAULT_SIGNAL_RULES, signalContent, signalFactsProjection } from '@rapport/signals';
import { complaint, purchase } from '@rapport/signals/testing';
import { historyOf } from '@rapport/domain/testing';
import { describeIfAvailable, kafkaAvailability } from '@rapport/test-support';
import { SqliteSignalLedger } from './ledger/sqlite.signal-ledger';
import { SignalDerivation } from './publisher/signal-derivation';
import { SignalOutboxPublisher } from './publisher/signal-outbox.publisher';
import { appendHistory, readWithKcat } from './testing';

const FACTS = signalFactsProjection as Projection<unknown>;

describeIfAvailable(
  'signal delivery to Kafka, read back by kcat',
  kafkaAvailability(),
  (brokers) => {
    let dir: string;
    let eventStore: SqliteEventStore;
    let publisher: KafkaMessagePublisher;
    const topic = `customer-signals-${process.pid}-${Date.now()}`;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rapport-signals-'));
      eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
      publisher = new KafkaMessagePublisher({
        brokers: brokers.split(','),
        clientId: 'signals-test',
        ssl: false,
      });
      await publisher.connect();
    });

    afterAll(async () => {
      await publisher.disconnect();
      await eventStore.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A fresh read store and projector, as after a restart of the in-memory platform or a rebuild. */
    async function deliverAll(ledger: SqliteSignalLedger): Promise<void> {
      const readStore = new MemoryReadStore();
      const projector = new Projector(eventStore, readStore, [FACTS], {
        name: 'projector',
        batchSize: 1000,
        maxBatchDelayMs: 5,
      });
      await projector.applyBatch(await eventStore.readAll());
      const derivation = new SignalDerivation(eventStore, readStore, ledger, {
        rules: DEFAULT_SIGNAL_RULES,
        batchSize: 2,
        factsCollection: () => Promise.resolve(FACTS.name),
        projectedUpTo: () => Promise.resolve(projector.position),
      });
      while (await derivation.step());
      await derivation.sweep();
      const outbox = new SignalOutboxPublisher(ledger, publisher, topic, 3);
      while ((await outbox.step()) > 0);
    }

    it('when events are derived and published, then each due signal is on the topic once, keyed by customer, with its id', async () => {
      await appendHistory(
        eventStore,
        'C-1',
        historyOf(purchase('O-1', 4999, '2026-03-01T10:00:00Z', 'C-1')),
      );
      await appendHistory(
        eventStore,
        'C-2',
        historyOf(complaint('K-1', '2026-03-01T12:00:00Z', 'C-2')),
      );
      // Event time moves on: the complaint has been open for 48 hours when this is recorded.
      await appendHistory(
        eventStore,
        'C-3',
        historyOf(purchase('O-9', 1000, '2026-03-04T00:00:00Z', 'C-3')),
      );
      const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
      await deliverAll(ledger);

      const consumed = await readWithKcat(brokers, topic);
      const byId = new Map(consumed.map((m) => [m.id, m]));
      expect(consumed).toHaveLength(3);
      expect(byId.size).toBe(3);
      const listed = ledger.list({ limit: 100 });
      expect(listed.map((e) => e.status)).toEqual(['published', 'published', 'published']);
      for (const { signal } of listed) {
        const message = byId.get(signal.id)!;
        expect(message.key).toBe(signal.subject.id);
        expect(message.payload).toBe(signalContent(signal));
      }
      expect(listed.map((e) => `${e.signal.subject.id}:${e.signal.trigger}`).sort()).toEqual([
        'C-1:first-purchase',
        'C-2:complaint-open',
        'C-3:first-purchase',
      ]);
      // Each evidence event names the position where the store has that very event.
      const stored = new Map((await eventStore.readAll()).map((e) => [e.position.toString(), e]));
      for (const { signal } of listed)
        for (const evidence of signal.evidence.events) {
          const event = stored.get(evidence.position ?? '')!;
          expect([event.id, event.type]).toEqual([evidence.eventId, evidence.type]);
        }
      ledger.close();
    });

    it('when the views are rebuilt and everything is derived again, then nothing is sent again', async () => {
      const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
      // A rebuild: fresh views from position 0 and the derivation cursor back at the start.
      ledger.record([], -1n, { position: -1n, watermark: null });
      await deliverAll(ledger);
      expect(await readWithKcat(brokers, topic)).toHaveLength(3);
      expect(ledger.counts()).toEqual({ signals: 3, pending: 0, conflicts: 0 });
      ledger.close();
    });

    it('when the ledger was not told of an acknowledged publish (crash in between), then the same ids go again with the same content', async () => {
      const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
      const before = await readWithKcat(brokers, topic);
      await appendHistory(
        eventStore,
        'C-4',
        historyOf(purchase('O-4', 700, '2026-03-04T01:00:00Z', 'C-4')),
      );
      await deliverAll(ledger);
      const [fresh] = ledger.list({ customerId: 'C-4', limit: 10 });
      // The crash: published, but the mark was lost.
      (ledger as unknown as { db: { prepare(sql: string): { run(seq: number): void } } }).db
        .prepare('UPDATE signals SET published = 0 WHERE seq = ?')
        .run(fresh.seq);
      await deliverAll(ledger);
      const after = await readWithKcat(brokers, topic);
      const c4 = after.filter((m) => m.key === 'C-4');
      expect(after).toHaveLength(before.length + 2);
      expect(c4.map((m) => m.id)).toEqual([fresh.signal.id, fresh.signal.id]);
      expect(new Set(c4.map((m) => m.payload)).size).toBe(1);
      ledger.close();
    });
  },
);
