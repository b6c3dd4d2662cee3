import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  eventStoreTargets,
  eventually,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';

/**
 * The walking skeleton end to end over real HTTP: touchpoints in, single customer view out.
 * Runs on the embedded default (SQLite) and on EventStoreDB (real server or the stand-in).
 */
const targets = eventStoreTargets();

describe.each(targets)('platform on %s', (_name, env) => {
  const run = env ? describe : describe.skip;
  run('ingest and customer view over HTTP', () => {
    let platform: RunningPlatform;
    beforeAll(async () => {
      platform = await startPlatform(env);
    });
    afterAll(async () => {
      await platform?.destroy();
    });

    const customer = () => `C-${randomUUID().slice(0, 8)}`;
    const purchase = (
      customerId: string,
      touchpointId = `pos-${randomUUID()}`,
      orderId = 'O-55',
    ) => ({
      touchpointId,
      source: 'pos',
      customerId,
      type: 'purchase',
      occurredAt: '2026-11-20T14:03:00Z',
      channel: 'store',
      data: { orderId, amount: { minor: 4999, currency: 'EUR' } },
    });
    const viewOf = (customerId: string, minCount = 1) =>
      eventually(async () => {
        const response = await request(platform.url)
          .get(`/v1/customers/${customerId}`)
          .set(platform.auth('analyst'))
          .expect(200);
        expect(response.body.touchpointCount).toBeGreaterThanOrEqual(minCount);
        return response.body;
      });

    it('records a purchase and shows it in the customer view (the README example)', async () => {
      const id = customer();
      const response = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(purchase(id))
        .expect(202);
      expect(response.body).toMatchObject({
        recorded: 1,
        duplicates: 0,
        rejected: 0,
        items: [{ index: 0, status: 'recorded' }],
      });
      expect(BigInt(response.body.position)).toBeGreaterThanOrEqual(0n);

      const view = await viewOf(id);
      expect(view).toMatchObject({
        customerId: id,
        orderCount: 1,
        grossRevenue: { EUR: 4999 },
        netRevenue: { EUR: 4999 },
        countsByType: { purchase: 1 },
        countsByChannel: { store: 1 },
        firstSeenAt: '2026-11-20T14:03:00.000Z',
        lastTouchpoint: { type: 'purchase', summary: 'purchase O-55 49.99 EUR' },
      });
      expect(BigInt(view.position)).toBe(BigInt(response.body.position));
    });

    it('rejects a touchpoint id recorded for another customer, naming that customer', async () => {
      const first = customer();
      const second = customer();
      const touchpointId = `pos-${randomUUID()}`;
      const recorded = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(purchase(first, touchpointId))
        .expect(202);
      const [{ eventId }] = recorded.body.items;

      const response = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send([purchase(second, touchpointId), purchase(second, `pos-${randomUUID()}`, 'O-2')])
        .expect(202);
      expect(response.body).toMatchObject({ recorded: 1, duplicates: 0, rejected: 1 });
      expect(response.body.items[0]).toEqual({
        index: 0,
        touchpointId,
        source: 'pos',
        customerId: second,
        status: 'rejected',
        code: 'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER',
        reason: `touchpoint ${touchpointId} of source pos was first recorded for customer ${first}; a touchpoint id belongs to one customer`,
        firstCustomerId: first,
      });
      expect(response.body.items[1]).toMatchObject({ status: 'recorded' });

      const view = await viewOf(second);
      expect(view).toMatchObject({ touchpointCount: 1, orderCount: 1 });
      const timeline = await request(platform.url)
        .get(`/v1/customers/${first}/timeline`)
        .set(platform.auth('analyst'))
        .expect(200);
      expect(JSON.stringify(timeline.body)).toContain(touchpointId);
      expect(eventId).toEqual(expect.any(String));

      const again = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(purchase(first, touchpointId))
        .expect(202);
      expect(again.body.items[0]).toMatchObject({ status: 'duplicate', eventId });
    });

    it('answers a batch item by item: recorded, duplicate, rejected with its code', async () => {
      const id = customer();
      const first = purchase(id, `pos-${randomUUID()}`, 'O-1');
      const response = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send([
          first,
          first,
          {
            ...purchase(id, `pos-${randomUUID()}`),
            type: 'cancellation',
            data: { orderId: 'O-unknown' },
          },
          {
            ...purchase(id, `pos-${randomUUID()}`),
            type: 'cancellation',
            data: { orderId: 'O-1', amount: { minor: 999, currency: 'EUR' } },
          },
        ])
        .expect(202);
      expect(response.body).toMatchObject({ recorded: 2, duplicates: 1, rejected: 1 });
      expect(response.body.items.map((i: { status: string }) => i.status)).toEqual([
        'recorded',
        'duplicate',
        'rejected',
        'recorded',
      ]);
      expect(response.body.items[2]).toMatchObject({
        code: 'ORDER_NOT_FOUND',
        reason: expect.stringContaining('O-unknown'),
      });

      const view = await viewOf(id, 2);
      expect(view).toMatchObject({
        touchpointCount: 2,
        netRevenue: { EUR: 4000 },
        cancellationCount: 1,
      });
    });

    it('answers no position when every item was rejected: nothing was written to read back', async () => {
      const id = customer();
      const response = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send({ ...purchase(id, 'pos-9'), type: 'cancellation', data: { orderId: 'O-none' } })
        .expect(202);
      expect(response.body).toMatchObject({ recorded: 0, rejected: 1 });
      expect(response.body).not.toHaveProperty('position');
      expect(response.headers['x-position']).toBeUndefined();
    });

    it('reads a body sent as an application/*+json media type', async () => {
      const response = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .set('content-type', 'application/vnd.rapport.touchpoint+json; charset=utf-8')
        .send(JSON.stringify(purchase(customer())))
        .expect(202);
      expect(response.body).toMatchObject({ recorded: 1 });
    });

    it('never records a redelivered touchpoint twice', async () => {
      const id = customer();
      const tp = purchase(id);
      await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(tp)
        .expect(202);
      const again = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(tp)
        .expect(202);
      expect(again.body).toMatchObject({ recorded: 0, duplicates: 1 });
      const view = await viewOf(id);
      expect(view.touchpointCount).toBe(1);
      expect(view.grossRevenue).toEqual({ EUR: 4999 });
    });

    it('refuses a request that breaks the contract with problem details naming each item and field', async () => {
      const id = customer();
      const response = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send([
          purchase(id),
          {
            ...purchase(id),
            channel: 'fax',
            data: { orderId: 'O', amount: { minor: 1.5, currency: 'EUR' } },
          },
        ])
        .expect(400)
        .expect('content-type', /application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 400,
        title: 'Invalid request',
        instance: '/v1/touchpoints',
      });
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ index: 1, path: 'channel' }),
          expect.objectContaining({ index: 1, path: 'data.amount.minor' }),
        ]),
      );
      expect(response.body.errors.every((e: { index: number }) => e.index === 1)).toBe(true);
      await request(platform.url)
        .get(`/v1/customers/${id}`)
        .set(platform.auth('analyst'))
        .expect(404);
    });

    it('refuses malformed JSON, bodies that are not JSON, empty and oversized batches', async () => {
      const malformed = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .set('content-type', 'application/json')
        .send('{"touchpointId": ')
        .expect(400);
      expect(malformed.body).toMatchObject({
        status: 400,
        code: 'MALFORMED_JSON',
        detail: expect.stringMatching(/JSON/),
      });
      const smuggled = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .set('content-type', 'application/json')
        .send('{"__proto__": {"polluted": true}}')
        .expect(400);
      expect(smuggled.body).toMatchObject({ code: 'MALFORMED_JSON' });
      // fetch, not supertest: supertest would send a Buffer as JSON of its bytes.
      const notUtf8 = await fetch(`${platform.url}/v1/touchpoints`, {
        method: 'POST',
        headers: { ...platform.auth('ingest'), 'content-type': 'application/json' },
        body: Buffer.from([0x7b, 0xff, 0x00]),
      });
      expect(notUtf8.status).toBe(400);
      expect(await notUtf8.json()).toMatchObject({
        code: 'MALFORMED_JSON',
        detail: expect.stringMatching(/not UTF-8/),
      });
      expect(Object.prototype).not.toHaveProperty('polluted');
      const notJson = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .set('content-type', 'text/plain')
        .send('purchase O-1 49.99 EUR')
        .expect(415)
        .expect('content-type', /application\/problem\+json/);
      expect(notJson.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(notJson.body.detail).toContain('Content-Type: application/json');
      await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send([])
        .expect(400);
      const many = Array.from({ length: 1001 }, (_, i) => purchase('C-big', `t-${i}`, `O-${i}`));
      const tooMany = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(many)
        .expect(413);
      expect(tooMany.body).toMatchObject({ code: 'TOO_MANY_TOUCHPOINTS' });
    });

    it('answers 404 for an unknown customer and 400 for an impossible id', async () => {
      const missing = await request(platform.url)
        .get('/v1/customers/C-never-seen')
        .set(platform.auth('analyst'))
        .expect(404);
      expect(missing.body).toMatchObject({
        status: 404,
        detail: expect.stringContaining('C-never-seen'),
      });
      const bad = await request(platform.url)
        .get('/v1/customers/C*')
        .set(platform.auth('analyst'))
        .expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'customerId' })]);
    });

    it('serves the longest customer id, even percent-encoded, and a trailing slash', async () => {
      const longest = `C@${'x'.repeat(126)}`;
      const written = await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(purchase(longest))
        .expect(202);
      const encoded = [...longest].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
      const view = await request(platform.url)
        .get(`/v1/customers/${encoded}/`)
        .set(platform.auth('analyst'))
        .set('X-Min-Position', written.body.position)
        .expect(200);
      expect(view.body.customerId).toBe(longest);
    });

    it('answers a URL it cannot read with problem details', async () => {
      const tooLong = await request(platform.url)
        .get(`/v1/customers/${'x'.repeat(600)}`)
        .set(platform.auth('analyst'))
        .expect(414)
        .expect('content-type', /application\/problem\+json/);
      expect(tooLong.body).toMatchObject({ status: 414, code: 'URI_TOO_LONG' });
      const undecodable = await request(platform.url)
        .get('/v1/customers/%E0%A4%A')
        .set(platform.auth('analyst'))
        .expect(400)
        .expect('content-type', /application\/problem\+json/);
      expect(undecodable.body).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    });
  });
});

describe('platform restart on the embedded default', () => {
  // Two platform starts and a stop: seconds each on a busy machine.
  it('keeps every event and rebuilds the view at start', async () => {
    const first = await startPlatform();
    const tp = {
      touchpointId: 'web-1',
      source: 'webshop',
      customerId: 'C-restart',
      type: 'web_visit',
      occurredAt: '2026-11-01T09:00:00Z',
      channel: 'web',
      data: { url: 'https://shop.example/' },
    };
    await request(first.url)
      .post('/v1/touchpoints')
      .set(first.auth('ingest'))
      .send([tp, { ...tp, touchpointId: 'web-2' }])
      .expect(202);
    await eventually(async () => {
      const view = await request(first.url)
        .get('/v1/customers/C-restart')
        .set(first.auth('analyst'))
        .expect(200);
      expect(view.body.touchpointCount).toBe(2);
    });
    await first.stop();

    const second = await startPlatform({}, first.dataDir);
    try {
      const view = await eventually(async () => {
        const response = await request(second.url)
          .get('/v1/customers/C-restart')
          .set(second.auth('analyst'))
          .expect(200);
        return response.body;
      });
      expect(view.touchpointCount).toBe(2);
      const again = await request(second.url)
        .post('/v1/touchpoints')
        .set(second.auth('ingest'))
        .send(tp)
        .expect(202);
      expect(again.body.duplicates).toBe(1);
    } finally {
      await second.destroy();
    }
  }, 60_000);
});
