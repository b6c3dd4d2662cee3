import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

/**
 * Segment's HTTP tracking API over real HTTP, as analytics-node and analytics.js send it: the
 * write key as the HTTP Basic user name with an empty password, calls mapped to touchpoints and
 * recorded through the one write path, a retried messageId recorded once.
 */
jest.setTimeout(60_000);

describe('Segment-compatible ingest', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const basic = (key: string) => ({
    Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
  });
  const writeKey = () => basic(platform.keys.segment);
  const customer = () => `C-seg-${randomUUID().slice(0, 8)}`;
  const messageId = () => `node-next-${Date.now()}-${randomUUID()}`;

  const page = (userId: string, id = messageId()) => ({
    type: 'page',
    messageId: id,
    userId,
    name: 'Pricing',
    properties: {
      url: 'https://shop.example.com/pricing',
      referrer: 'https://www.example.org/',
      title: 'Pricing',
    },
    context: {
      library: { name: 'analytics.js', version: 'next-1.70.0' },
      userAgent: 'Mozilla/5.0',
    },
    integrations: {},
    timestamp: '2026-11-20T14:00:00.000Z',
  });
  const orderCompleted = (userId: string, id = messageId(), total: unknown = 27.5) => ({
    type: 'track',
    event: 'Order Completed',
    messageId: id,
    userId,
    properties: {
      order_id: `O-${id.slice(-8)}`,
      total,
      currency: 'USD',
      products: [{ product_id: 'P-1', sku: 'SKU-1', price: 27.5, quantity: 1 }],
    },
    context: { library: { name: '@segment/analytics-node', version: '2.1.0' } },
    _metadata: { jsRuntime: 'node' },
    timestamp: '2026-11-20T14:03:00.000Z',
  });
  const viewAt = async (customerId: string, position: string) =>
    (
      await request(platform.url)
        .get(`/v1/customers/${customerId}`)
        .set(platform.auth('analyst'))
        .set('X-Min-Position', position)
        .expect(200)
    ).body;

  it('records a page call as a web visit and an Order Completed as a purchase in minor units', async () => {
    const id = customer();
    const visit = await request(platform.url)
      .post('/v1/segment/page')
      .set(writeKey())
      .send(page(id))
      .expect(200);
    expect(visit.body).toMatchObject({
      success: true,
      recorded: 1,
      items: [{ index: 0, status: 'recorded', customerId: id }],
    });
    const order = await request(platform.url)
      .post('/v1/segment/track')
      .set(writeKey())
      .send(orderCompleted(id))
      .expect(200);
    expect(order.body).toMatchObject({ success: true, recorded: 1, invalid: 0 });
    expect(order.headers['x-position']).toBe(order.body.position);

    const view = await viewAt(id, order.body.position);
    expect(view).toMatchObject({
      customerId: id,
      orderCount: 1,
      grossRevenue: { USD: 2750 },
      countsByType: { web_visit: 1, purchase: 1 },
      countsByChannel: { web: 1, other: 1 },
    });
  });

  it('takes a call sent as text/plain, as analytics.js in the browser sends it (no CORS preflight)', async () => {
    const id = customer();
    const sent = await request(platform.url)
      .post('/v1/segment/page')
      .set(writeKey())
      .set('content-type', 'text/plain;charset=UTF-8')
      .send(JSON.stringify(page(id)))
      .expect(200);
    expect(sent.body).toMatchObject({ success: true, recorded: 1 });
    const notJson = await request(platform.url)
      .post('/v1/segment/page')
      .set(writeKey())
      .set('content-type', 'text/plain')
      .send('page /pricing')
      .expect(400);
    expect(notJson.body).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it('records an anonymous visitor by the anonymousId alone, on the profile resolution gives it', async () => {
    const { userId: _userId, ...anonymous } = page('unused');
    const call = { ...anonymous, anonymousId: `anon-${randomUUID()}` };
    const first = await request(platform.url)
      .post('/v1/segment/page')
      .set(writeKey())
      .send(call)
      .expect(200);
    expect(first.body).toMatchObject({ recorded: 1, items: [{ status: 'recorded' }] });
    const profile = first.body.items[0].customerId;
    expect(typeof profile).toBe('string');
    const again = await request(platform.url)
      .post('/v1/segment/page')
      .set(writeKey())
      .send({ ...call, messageId: messageId() })
      .expect(200);
    expect(again.body.items[0]).toMatchObject({ status: 'recorded', customerId: profile });
    expect(await viewAt(profile, again.body.position)).toMatchObject({
      countsByType: { web_visit: 2 },
    });
  });

  it('records a retried messageId once', async () => {
    const id = customer();
    const call = orderCompleted(id);
    const first = await request(platform.url).post('/v1/segment/track').set(writeKey()).send(call);
    const retry = await request(platform.url)
      .post('/v1/segment/track')
      .set(writeKey())
      .send(call)
      .expect(200);
    expect(first.body.items[0].status).toBe('recorded');
    expect(retry.body).toMatchObject({
      recorded: 0,
      duplicates: 1,
      items: [{ status: 'duplicate', eventId: first.body.items[0].eventId }],
    });
    const view = await viewAt(id, retry.body.position);
    expect(view).toMatchObject({ orderCount: 1, touchpointCount: 1, grossRevenue: { USD: 2750 } });
  });

  it('answers each call of a batch, recording the good ones beside a bad one', async () => {
    const id = customer();
    // As analytics-node posts it: { batch, sentAt }, the write key as Basic user name.
    const response = await request(platform.url)
      .post('/v1/segment/batch')
      .set(writeKey())
      .set('User-Agent', 'analytics-node-next/latest')
      .send({
        batch: [page(id), orderCompleted(id, messageId(), 12.345), orderCompleted(id)],
        sentAt: new Date().toISOString(),
      })
      .expect(200);
    expect(response.body).toMatchObject({ success: true, recorded: 2, invalid: 1 });
    expect(response.body.items.map((i: { status: string }) => i.status)).toEqual([
      'recorded',
      'invalid',
      'recorded',
    ]);
    expect(response.body.items[1]).toMatchObject({
      index: 1,
      code: 'SEGMENT_CALL_INVALID',
      errors: [
        {
          path: 'properties.total',
          message: 'properties.total has more decimals than USD has (2): 12.345',
        },
      ],
    });
    const view = await viewAt(id, response.body.position);
    expect(view).toMatchObject({ orderCount: 1, touchpointCount: 2 });
  });

  it('refuses a wrong write key with 401 problem details, before reading the body', async () => {
    const response = await request(platform.url)
      .post('/v1/segment/track')
      .set(basic('not-a-write-key-we-know-0000'))
      .send(orderCompleted(customer()))
      .expect(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, code: 'API_KEY_UNKNOWN' });
    await request(platform.url)
      .post('/v1/segment/track')
      .send(orderCompleted(customer()))
      .expect(401);
  });

  it('lets a write key send Segment calls only: it reads nothing', async () => {
    const response = await request(platform.url)
      .get('/v1/customers/C-1001')
      .set(writeKey())
      .expect(403);
    expect(response.body).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    await request(platform.url).post('/v1/touchpoints').set(writeKey()).send({}).expect(403);
  });

  it('refuses an invalid call with 400 problem details naming the Segment field', async () => {
    const { total: _total, ...properties } = orderCompleted(customer()).properties;
    const response = await request(platform.url)
      .post('/v1/segment/track')
      .set(writeKey())
      .send({ ...orderCompleted(customer()), properties })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 400,
      code: 'SEGMENT_CALL_INVALID',
      errors: [{ path: 'properties.total', message: expect.stringContaining('is required') }],
    });
  });

  it('says why a userId the contract refuses was not taken, in the call’s own terms', async () => {
    const response = await request(platform.url)
      .post('/v1/segment/page')
      .set(writeKey())
      .send(page('has spaces in it'))
      .expect(400);
    expect(response.body.errors).toEqual([
      {
        path: 'userId',
        message: expect.stringMatching(/^userId \(as customerId\): customerId must be/),
      },
    ]);
  });

  it('refuses track events it does not record, with the reason', async () => {
    const response = await request(platform.url)
      .post('/v1/segment/track')
      .set(writeKey())
      .send({ ...orderCompleted(customer()), event: 'Product Viewed' })
      .expect(400);
    expect(response.body).toMatchObject({
      code: 'SEGMENT_EVENT_NOT_MAPPED',
      detail: expect.stringContaining('Order Completed'),
    });
  });

  it('refuses a batch that is not one', async () => {
    const response = await request(platform.url)
      .post('/v1/segment/batch')
      .set(writeKey())
      .send({ batch: [] })
      .expect(400);
    expect(response.body.errors).toEqual([{ path: 'batch', message: 'batch must not be empty' }]);
    await request(platform.url)
      .post('/v1/segment/batch')
      .set(writeKey())
      .send([page(customer())])
      .expect(400);
  });
});
