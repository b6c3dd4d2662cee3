import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

describe('read-your-writes', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({ READ_YOUR_WRITES_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const visit = (customerId: string, n: number) => ({
    touchpointId: `web-${customerId}-${n}`,
    source: 'webshop',
    customerId,
    type: 'web_visit',
    occurredAt: '2026-11-01T09:00:00Z',
    channel: 'web',
    data: { url: 'https://shop.example/' },
  });

  it('answers the position of a write in the body and in X-Position', async () => {
    const response = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(visit('C-ryw-0', 1))
      .expect(202);
    expect(response.headers['x-position']).toBe(response.body.position);
  });

  it('sees a write at once when the read passes its position (header or query)', async () => {
    for (let n = 1; n <= 20; n++) {
      const id = `C-ryw-${n}`;
      const write = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send([visit(id, 1), visit(id, 2)])
        .expect(202);
      const position = write.headers['x-position'];
      const read =
        n % 2
          ? request(platform.url).get(`/v1/customers/${id}`).set('X-Min-Position', position)
          : request(platform.url).get(`/v1/customers/${id}`).query({ minPosition: position });
      const view = await read.set(platform.auth('analyst')).expect(200);
      expect(view.body.touchpointCount).toBe(2);
      expect(BigInt(view.body.position)).toBeGreaterThanOrEqual(BigInt(position));
    }
  });

  it('gives up after the bounded wait with 503 problem details and Retry-After', async () => {
    const started = Date.now();
    const response = await request(platform.url)
      .get('/v1/customers/C-ryw-1')
      .set(platform.auth('analyst'))
      .set('X-Min-Position', '999999999999')
      .expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({
      status: 503,
      code: 'PROJECTION_BEHIND',
      position: expect.stringMatching(/^\d+$/),
    });
  });

  it('refuses a malformed position naming the parameter', async () => {
    const response = await request(platform.url)
      .get('/v1/customers/C-ryw-1')
      .set(platform.auth('analyst'))
      .query({ minPosition: 'latest' })
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'minPosition' })]);
  });

  it('makes nobody wait before the key is checked', async () => {
    const started = Date.now();
    await request(platform.url)
      .get('/v1/customers/C-ryw-1')
      .set('X-Min-Position', '999999999999')
      .expect(401);
    expect(Date.now() - started).toBeLessThan(250);
  });
});
