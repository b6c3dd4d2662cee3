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
  rule: string;
  trigger: string;
  subject: { id: string };
  reason: string;
  evidence: { figures: Record<string, string | number>; snapshot?: { asOf: string } };
  valueAtStake: { minor: number; currency: string } | null;
}

const DAY = 86_400_000;

describeIfAvailable(
  'tier-move signals from insights snapshots, through GET /v1/signals and Kafka',
  kafkaAvailability(),
  (brokers) => {
    let platform: RunningPlatform;
    const topic = `customer-signals-population-${process.pid}-${Date.now()}`;
    let n = 0;
    const purchase = (customerId: string, minor: number, daysAgo: number) => ({
      touchpointId: `pop-${(n += 1)}`,
      source: 'pos',
      customerId,
      type: 'purchase',
      occurredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
      channel: 'store',
      data: { orderId: `O-${n}`, amount: { minor, currency: 'EUR' } },
    });

    beforeAll(async () => {
      platform = await startPlatform({
        ...testKafkaEnv(brokers),
        SIGNALS_TOPIC: topic,
        // Each snapshot a second apart is a window of its own.
        SIGNALS_POPULATION_WINDOW_SECONDS: '1',
        INSIGHTS_REFRESH_SECONDS: '0',
      });
    }, 120_000);

    afterAll(async () => {
      await platform?.destroy();
    }, 60_000);

    const record = async (touchpoints: object[]): Promise<string> =>
      (
        await request(platform.url)
          .post('/v1/touchpoints')
          .set(platform.auth('ingest'))
          .send(touchpoints)
          .expect(202)
      ).body.position as string;

    const refreshInsights = async (position: string) =>
      request(platform.url)
        .post('/v1/model/fit')
        .set(platform.auth('admin'))
        .set('X-Min-Position', position)
        .expect(200);

    const tierOf = async (customerId: string): Promise<string> =>
      (
        await request(platform.url)
          .get(`/v1/customers/${customerId}`)
          .set(platform.auth('analyst'))
          .expect(200)
      ).body.insights.valueTier as string;

    it('when a customer is overtaken, then a tier-move down (and the other one up) is listed and published once, keyed by customer', async () => {
      const ledger = platform.app.get<SqliteSignalLedger>(SIGNAL_LEDGER, { strict: false });
      const first = await record([
        purchase('C-top', 900_000, 30),
        purchase('C-mid', 50_000, 20),
        purchase('C-low', 20_000, 10),
      ]);
      await refreshInsights(first);
      expect(await tierOf('C-top')).toBe('A');
      expect(await tierOf('C-mid')).not.toBe('A');
      // The baseline: every customer's tier as of the first snapshot.
      await eventually(async () => expect(ledger.populationWindow()).not.toBeNull(), 20_000);
      const baseline = ledger.populationWindow();

      const second = await record([purchase('C-mid', 9_000_000, 2)]);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await refreshInsights(second);
      expect(await tierOf('C-mid')).toBe('A');
      expect(await tierOf('C-top')).not.toBe('A');
      await eventually(async () => expect(ledger.populationWindow()).not.toBe(baseline), 20_000);

      const items = (
        await request(platform.url)
          .get('/v1/signals?rule=tier-move')
          .set(platform.auth('analyst'))
          .expect(200)
      ).body.items as SignalItem[];
      const moves = Object.fromEntries(items.map((s) => [s.subject.id, s]));
      expect(Object.keys(moves).sort()).toEqual(['C-mid', 'C-top']);
      expect(moves['C-top']).toMatchObject({ trigger: 'down', rule: 'tier-move' });
      expect(moves['C-top'].evidence.figures).toMatchObject({
        fromTier: 'A',
        toTier: await tierOf('C-top'),
      });
      expect(moves['C-top'].valueAtStake).toEqual({ minor: 900_000, currency: 'EUR' });
      expect(moves['C-top'].reason).toContain('Moved down from value tier A');
      expect(moves['C-mid']).toMatchObject({ trigger: 'up' });

      const published = await eventually(async () => {
        const messages = (await readWithKcat(brokers, topic)).filter((m) =>
          items.some((s) => s.id === m.id),
        );
        expect(messages).toHaveLength(2);
        return messages;
      }, 30_000);
      for (const message of published)
        expect(message.key).toBe(items.find((s) => s.id === message.id)!.subject.id);

      // Another snapshot with the tiers unchanged raises nothing new.
      await refreshInsights(second);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const again = (
        await request(platform.url)
          .get('/v1/signals?rule=tier-move')
          .set(platform.auth('analyst'))
          .expect(200)
      ).body.items as SignalItem[];
      expect(again.map((s) => s.id).sort()).toEqual(items.map((s) => s.id).sort());
    }, 120_000);
  },
);
