import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

// A refresh of the insights is a platform-wide computation: generous on a busy machine.
jest.setTimeout(90_000);

/**
 * The lists and population views answer from an insights snapshot, not from the per-customer
 * views: a read that names a position must get a snapshot computed past it.
 */
describe('read-your-writes on the lists and population views', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    // No periodic refresh: only a read that names a position can bring the snapshot forward.
    platform = await startPlatform({
      INSIGHTS_REFRESH_SECONDS: '0',
      READ_YOUR_WRITES_TIMEOUT_MS: '30000',
    });
  }, 90_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  const purchase = (customerId: string, n: number, minor: number) => ({
    touchpointId: `pos-${customerId}-${n}`,
    source: 'pos',
    customerId,
    type: 'purchase',
    occurredAt: `2026-0${n}-10T12:00:00Z`,
    channel: 'store',
    data: { orderId: `O-${customerId}-${n}`, amount: { minor, currency: 'EUR' } },
  });

  it('answers from a snapshot that includes the write, on every list and summary', async () => {
    const history = ['H-1', 'H-2', 'H-3'].flatMap((id, i) =>
      [1, 2, 3].map((n) => purchase(id, n, 1_000 * (i + 1))),
    );
    const first = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(history)
      .expect(202);
    await request(platform.url)
      .get('/v1/customers/H-1')
      .set(platform.auth('analyst'))
      .set('X-Min-Position', first.body.position)
      .expect(200);
    await request(platform.url).post('/v1/model/fit').set(platform.auth('admin')).expect(200);

    const write = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send([purchase('N-1', 1, 9_000), purchase('N-1', 2, 9_000)])
      .expect(202);
    const position = write.headers['x-position'];
    const read = (path: string) =>
      request(platform.url).get(path).set(platform.auth('analyst')).set('X-Min-Position', position);

    // Without the header the snapshot fitted before the write answers: N-1 is not there yet.
    const stale = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(stale.body.items.map((r: { customerId: string }) => r.customerId)).not.toContain('N-1');

    const listed = await read('/v1/customers').expect(200);
    expect(listed.body.items.map((r: { customerId: string }) => r.customerId)).toContain('N-1');
    expect((await read('/v1/tiers').expect(200)).body.customers).toBe(4);
    expect((await read('/v1/segments').expect(200)).body.customers).toBe(4);
    expect((await read('/v1/retention').expect(200)).body.buyers).toBe(4);
    await read('/v1/at-risk').expect(200);
    await read('/v1/model').expect(200);
  });
});
