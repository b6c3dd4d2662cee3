import request from 'supertest';
import { SIGNAL_LEDGER, type SqliteSignalLedger } from '@rapport/signal-delivery';
import { readWithKcat } from '@rapport/signal-delivery/testing';
import {
  describeIfAvailable,
  eventually,
  kafkaAvailability,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';
import { testKafkaEnv } from '../kafka/kafka-test.fixtures';

interface SignalItem {
  id: string;
  dueAt: string;
  rule: string;
  trigger: string;
  subject: { id: string };
  reason: string;
  evidence: { figures: Record<string, string | number>; snapshot?: { asOf: string } };
  valueAtStake: { minor: number; currency: string } | null;
}

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 10)).toISOString();

describeIfAvailable(
  'tier-move signals by event time, through GET /v1/signals and Kafka',
  kafkaAvailability(),
  (brokers) => {
    let platform: RunningPlatform;
    const topic = `customer-signals-population-${process.pid}-${Date.now()}`;
    let n = 0;
    const purchase = (customerId: string, minor: number, on: number) => ({
      touchpointId: `pop-${(n += 1)}`,
      source: 'pos',
      customerId,
      type: 'purchase',
      occurredAt: day(on),
      channel: 'store',
      data: { orderId: `O-${n}`, amount: { minor, currency: 'EUR' } },
    });
    const visit = (customerId: string, on: number) => ({
      touchpointId: `pop-${(n += 1)}`,
      source: 'web',
      customerId,
      type: 'web_visit',
      occurredAt: day(on),
      channel: 'web',
      data: { url: 'https://shop.example/' },
    });

    beforeAll(async () => {
      platform = await startPlatform({
        ...testKafkaEnv(brokers),
        SIGNALS_TOPIC: topic,
        SIGNALS_POPULATION_WINDOW_SECONDS: '86400',
        INSIGHTS_REFRESH_SECONDS: '0',
      });
    }, 120_000);

    afterAll(async () => {
      await platform?.destroy();
    }, 60_000);

    const record = async (touchpoints: object[]): Promise<void> => {
      await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(touchpoints)
        .expect(202);
    };

    const tierMoves = async (): Promise<SignalItem[]> =>
      (
        await request(platform.url)
          .get('/v1/signals?rule=tier-move')
          .set(platform.auth('analyst'))
          .expect(200)
      ).body.items as SignalItem[];

    it('when a customer is overtaken, then at the next day boundary event time passes a tier-move down (and the other one up) is listed and published once, keyed by customer', async () => {
      const ledger = platform.app.get<SqliteSignalLedger>(SIGNAL_LEDGER, { strict: false });
      await record([
        purchase('C-top', 900_000, 1),
        purchase('C-mid', 50_000, 2),
        purchase('C-low', 20_000, 3),
      ]);
      // The baseline: every day boundary from the first event's on, by event time alone.
      await eventually(
        async () => expect(ledger.populationWindow()).toBe('2026-01-03T00:00:00.000Z'),
        30_000,
      );

      // C-mid overtakes on day 12; a visit on day 14 carries event time past the boundaries.
      await record([purchase('C-mid', 9_000_000, 12), visit('C-low', 14)]);
      await eventually(
        async () => expect(ledger.populationWindow()).toBe('2026-01-14T00:00:00.000Z'),
        30_000,
      );

      const items = await tierMoves();
      const moves = Object.fromEntries(items.map((s) => [s.subject.id, s]));
      expect(Object.keys(moves).sort()).toEqual(['C-mid', 'C-top']);
      expect(moves['C-top']).toMatchObject({
        trigger: 'down',
        rule: 'tier-move',
        dueAt: '2026-01-13T00:00:00.000Z',
      });
      expect(moves['C-top'].evidence.figures).toMatchObject({ fromTier: 'A' });
      expect(moves['C-top'].evidence.snapshot).toEqual({ asOf: '2026-01-13T00:00:00.000Z' });
      expect(moves['C-top'].valueAtStake).toEqual({ minor: 900_000, currency: 'EUR' });
      expect(moves['C-top'].reason).toContain('Moved down from value tier A');
      expect(moves['C-mid']).toMatchObject({ trigger: 'up', dueAt: '2026-01-13T00:00:00.000Z' });

      const published = await eventually(async () => {
        const messages = (await readWithKcat(brokers, topic)).filter((m) =>
          items.some((s) => s.id === m.id),
        );
        expect(messages).toHaveLength(2);
        return messages;
      }, 30_000);
      for (const message of published)
        expect(message.key).toBe(items.find((s) => s.id === message.id)!.subject.id);

      // A further boundary with the tiers unchanged raises nothing new.
      await record([visit('C-low', 15)]);
      await eventually(
        async () => expect(ledger.populationWindow()).toBe('2026-01-15T00:00:00.000Z'),
        30_000,
      );
      expect((await tierMoves()).map((s) => s.id).sort()).toEqual(items.map((s) => s.id).sort());
    }, 120_000);
  },
);
