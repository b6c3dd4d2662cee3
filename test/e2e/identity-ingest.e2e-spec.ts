import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

/**
 * Touchpoints that name their customer by identifiers, over real HTTP on the embedded
 * platform: resolved to a profile before recording; a value that cannot be normalised is a
 * 400 problem naming the field.
 */
describe('identified touchpoints over HTTP', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const visit = (touchpointId: string, extra: Record<string, unknown>) => ({
    touchpointId,
    source: 'webshop',
    type: 'web_visit',
    occurredAt: '2026-11-20T14:03:00Z',
    channel: 'web',
    data: { url: 'https://shop.example/boots' },
    ...extra,
  });

  it('records an anonymous visit, then the login lands on the customer named', async () => {
    const anonymous = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(visit('v-1', { identifiers: [{ type: 'anonymousId', value: 'a-e2e-1' }] }))
      .expect(202);
    expect(anonymous.body.items[0]).toMatchObject({
      status: 'recorded',
      customerId: expect.stringMatching(/^profile\./),
    });
    const login = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(
        visit('v-2', {
          customerId: 'C-E2E-1',
          identifiers: [
            { type: 'anonymousId', value: 'a-e2e-1' },
            { type: 'email', value: ' Ada@Example.com' },
          ],
        }),
      )
      .expect(202);
    expect(login.body.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-E2E-1' });
    const byEmail = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(visit('v-3', { identifiers: [{ type: 'email', value: 'ada@example.com' }] }))
      .expect(202);
    expect(byEmail.body.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-E2E-1' });
  });

  it('refuses a value that cannot be normalised with a 400 naming the field', async () => {
    const response = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(
        visit('v-4', {
          identifiers: [
            { type: 'email', value: 'ada@example.com' },
            { type: 'phone', value: 'call me' },
          ],
        }),
      )
      .expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: 'identifiers[1].value' }),
    ]);
  });
});
