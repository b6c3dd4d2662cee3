import { PassThrough } from 'node:stream';
import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

/** What a request carries must not reach the logs when it is personal data. */
describe('logs', () => {
  let platform: RunningPlatform;
  let logs = '';
  const email = 'jane.doe@mailbox.test';
  const phone = '+491511234567';
  const name = 'Janet Doughnut';

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk) => (logs += chunk.toString()));
    platform = await startPlatform({ LOG_LEVEL: 'info' }, undefined, { logs: stream });
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('keep emails, phone numbers and names in URLs and bodies out', async () => {
    const written = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .set('X-Request-Id', 'pii-check-1')
      .send({
        touchpointId: 'call-1',
        source: 'callcentre',
        customerId: email,
        type: 'call',
        occurredAt: '2026-11-01T09:00:00Z',
        channel: 'phone',
        data: { direction: 'inbound', durationSeconds: 30, reason: `${name} called from ${phone}` },
      })
      .expect(202);
    await request(platform.url)
      .get(`/v1/customers/${encodeURIComponent(email)}`)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', written.body.position)
      .expect(200);
    await request(platform.url)
      .get(`/v1/customers/${encodeURIComponent(email)}/timeline`)
      .query({ format: 'csv' })
      .set(platform.auth('analyst'))
      .expect(200);
    await request(platform.url)
      .get(`/v1/customers/${encodeURIComponent(phone)}`)
      .set(platform.auth('analyst'))
      .expect(400);
    await request(platform.url)
      .get('/v1/customers')
      .query({ email, name, phone })
      .set(platform.auth('analyst'))
      .expect(400);
    await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send({ customerId: email, name, phone })
      .expect(400);
    await new Promise((resolve) => setImmediate(resolve));

    // The requests were logged, with their ids and redacted URLs…
    expect(logs).toContain('"id":"pii-check-1"');
    expect(logs).toContain('/v1/customers/[redacted]');
    expect(logs).toContain('email=[redacted]');
    // …but nothing personal.
    for (const secret of ['jane.doe', 'mailbox.test', '1511234567', 'Janet', 'Doughnut']) {
      expect({ secret, found: logs.includes(secret) }).toEqual({ secret, found: false });
    }
    // Nor any credential.
    expect(logs).not.toContain(platform.keys.analyst);
    expect(logs).not.toContain(platform.keys.ingest);
  });
});
