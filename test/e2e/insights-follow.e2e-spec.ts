import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

// Refreshes are platform-wide computations: generous on a busy machine.
jest.setTimeout(120_000);

/**
 * With the refresher following the projector (INSIGHTS_REFRESH_SECONDS left at its default),
 * a refresh after the first reads only the customers the projector wrote since: a new customer
 * must reach the population views, with X-Min-Position at once and without it within seconds.
 */
describe('population views following the projector incrementally', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({ READ_YOUR_WRITES_TIMEOUT_MS: '60000' });
  }, 120_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  const purchase = (customerId: string, n: number, minor: number) => ({
    touchpointId: `pos-${customerId}-${n}`,
    source: 'pos',
    customerId,
    type: 'purchase',
    occurredAt: new Date(Date.now() - (10 - n) * 86_400_000).toISOString(),
    channel: 'store',
    data: { orderId: `O-${customerId}-${n}`, amount: { minor, currency: 'EUR' } },
  });
  const tiers = (position?: string) => {
    const get = request(platform.url).get('/v1/tiers').set(platform.auth('analyst'));
    return (position ? get.set('X-Min-Position', position) : get).expect(200);
  };
  const write = async (touchpoints: object[]) =>
    (
      await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(touchpoints)
        .expect(202)
    ).headers['x-position'] as string;

  it('counts each new customer once the projector wrote them, asked with a position or not', async () => {
    // The first snapshot (a full refresh) comes once the projector has caught up.
    const ready = Date.now() + 60_000;
    while (
      Date.now() < ready &&
      (await request(platform.url).get('/v1/tiers').set(platform.auth('analyst'))).status !== 200
    )
      await new Promise((resolve) => setTimeout(resolve, 250));
    const first = await write([purchase('F-1', 1, 1_000), purchase('F-2', 1, 2_000)]);
    expect((await tiers(first)).body.customers).toBe(2);

    const second = await write([purchase('F-3', 2, 3_000)]);
    expect((await tiers(second)).body.customers).toBe(3);

    await write([purchase('F-4', 3, 4_000), purchase('F-1', 4, 500)]);
    const deadline = Date.now() + 60_000;
    let customers = 0;
    while (Date.now() < deadline && customers !== 4) {
      customers = (await tiers()).body.customers;
      if (customers !== 4) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(customers).toBe(4);
    const body = (await tiers()).body;
    expect(body.totalRevenueMinor).toBe(1_000 + 2_000 + 3_000 + 4_000 + 500);
  });
});
