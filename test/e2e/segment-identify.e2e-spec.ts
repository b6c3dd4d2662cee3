import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

/**
 * Segment `identify` over real HTTP: its identifiers linked to one profile through the write
 * path's identity resolution (no touchpoint recorded; the links' evidence names the call), a
 * retried messageId linking once, a link the limits refuse recorded as MergeRefused, identify
 * beside page and track in a batch; and the write key in the body, as analytics.js in a
 * browser sends it.
 */
jest.setTimeout(60_000);

describe('Segment identify and the write key in the body', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const writeKey = () => ({
    Authorization: `Basic ${Buffer.from(`${platform.keys.segment}:`).toString('base64')}`,
  });
  const unique = () => randomUUID().slice(0, 8);
  const messageId = () => `ajs-next-${Date.now()}-${randomUUID()}`;

  const identify = (userId: string | undefined, anonymousId: string, traits: object) => ({
    type: 'identify',
    messageId: messageId(),
    ...(userId === undefined ? {} : { userId }),
    anonymousId,
    traits,
    timestamp: '2026-11-20T14:01:00.000Z',
  });
  const page = (anonymousId: string) => ({
    type: 'page',
    messageId: messageId(),
    anonymousId,
    properties: { url: 'https://shop.example.com/pricing' },
    context: { userAgent: 'Mozilla/5.0' },
    timestamp: '2026-11-20T14:05:00.000Z',
  });
  const send = (path: string, body: object, headers: Record<string, string> = writeKey()) =>
    request(platform.url).post(`/v1/segment/${path}`).set(headers).send(body);
  const identity = (type: string, value: string, position: string) =>
    request(platform.url)
      .get(`/v1/identities/${type}/${encodeURIComponent(value)}`)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', position);

  it('links an anonymousId and an email to the userId’s profile: a later page by the anonymousId lands there', async () => {
    const userId = `C-ident-${unique()}`;
    const anonymousId = `anon-${unique()}`;
    const email = `Ada.${unique()}@Example.com`;
    const call = identify(userId, anonymousId, { email, name: 'Ada' });
    const linked = await send('identify', call).expect(200);
    expect(linked.body).toMatchObject({
      success: true,
      recorded: 1,
      items: [{ index: 0, messageId: call.messageId, status: 'recorded', customerId: userId }],
    });
    expect(linked.body.items[0]).not.toHaveProperty('eventId');

    const visit = await send('page', page(anonymousId)).expect(200);
    expect(visit.body.items[0]).toMatchObject({ status: 'recorded', customerId: userId });

    const { body } = await identity('anonymousId', anonymousId, visit.body.position).expect(200);
    const evidence = {
      source: 'segment',
      call: 'identify',
      messageId: call.messageId,
      occurredAt: '2026-11-20T14:01:00.000Z',
    };
    expect(body).toMatchObject({
      profileId: userId,
      survivor: userId,
      // Strongest first, as resolution links them.
      identifiers: [
        { type: 'email', value: email.toLowerCase(), profileId: userId, evidence },
        { type: 'anonymousId', value: anonymousId, profileId: userId, evidence },
      ],
      // The identify call is no activity: the one touchpoint is the page.
      customer: { customerId: userId, touchpointCount: 1, countsByType: { web_visit: 1 } },
    });
    expect(body.identifiers).toHaveLength(2);
    await identity('email', email.toUpperCase(), visit.body.position).expect(200);
  });

  it('links a retried messageId once, answering it as a duplicate', async () => {
    const userId = `C-ident-${unique()}`;
    const call = identify(userId, `anon-${unique()}`, { phone: '+44 20 7946 0958' });
    const first = await send('identify', call).expect(200);
    const retry = await send('identify', call).expect(200);
    expect(first.body).toMatchObject({ recorded: 1, duplicates: 0 });
    expect(retry.body).toMatchObject({
      recorded: 0,
      duplicates: 1,
      items: [{ status: 'duplicate', customerId: userId }],
    });
    const { body } = await identity('anonymousId', call.anonymousId, first.body.position).expect(
      200,
    );
    expect(body.identifiers.map((i: { type: string }) => i.type)).toEqual(['phone', 'anonymousId']);
  });

  it('refuses an identify the limits forbid, and records the refusal with the call as evidence', async () => {
    const email = `shared.${unique()}@example.com`;
    const [first, second] = [`C-ident-${unique()}`, `C-ident-${unique()}`];
    const owner = await send('identify', identify(first, `anon-${unique()}`, { email })).expect(
      200,
    );
    expect(owner.body.items[0].status).toBe('recorded');
    // A second named customer with the same email: one customerId per profile, so no merge.
    const { anonymousId: _anonymousId, ...call } = identify(second, 'unused', { email });
    const refused = await send('identify', call).expect(200);
    expect(refused.body).toMatchObject({
      recorded: 0,
      rejected: 1,
      items: [
        {
          status: 'rejected',
          customerId: second,
          code: 'IDENTITY_LINK_REFUSED',
          reason: expect.stringContaining('would hold 2 of type customerId, at most 1'),
        },
      ],
    });
    const { body } = await identity('email', email, refused.body.position).expect(200);
    expect(body).toMatchObject({ profileId: first, members: [first] });
    expect(body.history).toEqual([
      expect.objectContaining({
        event: 'MergeRefused',
        profiles: [first, second].sort(),
        rule: 'limit-per-profile',
        limit: { identifierType: 'customerId', max: 1, would: 2 },
        evidence: expect.objectContaining({ call: 'identify', messageId: call.messageId }),
      }),
    ]);
    const again = await send('identify', call).expect(200);
    expect(again.body.items[0].status).toBe('duplicate');
  });

  it('takes identify in a batch with page and track, in the order sent', async () => {
    const userId = `C-ident-${unique()}`;
    const anonymousId = `anon-${unique()}`;
    const order = {
      type: 'track',
      event: 'Order Completed',
      messageId: messageId(),
      anonymousId,
      properties: { order_id: `O-${unique()}`, total: 12.5, currency: 'EUR' },
      timestamp: '2026-11-20T14:06:00.000Z',
    };
    const response = await send('batch', {
      batch: [
        identify(userId, anonymousId, { email: `bat.${unique()}@example.com` }),
        page(anonymousId),
        identify(userId, anonymousId, { email: 'not-an-email' }),
        order,
      ],
    }).expect(200);
    expect(response.body).toMatchObject({ recorded: 3, invalid: 1 });
    expect(
      response.body.items.map((i: { status: string; customerId?: string }) => [
        i.status,
        i.customerId,
      ]),
    ).toEqual([
      ['recorded', userId],
      ['recorded', userId],
      ['invalid', undefined],
      ['recorded', userId],
    ]);
    expect(response.body.items[2].errors).toEqual([
      expect.objectContaining({ path: 'traits.email' }),
    ]);
  });

  it('refuses a value it cannot normalise with 400 naming the Segment field', async () => {
    const response = await send(
      'identify',
      identify(`C-ident-${unique()}`, `anon-${unique()}`, { phone: 'call me maybe' }),
    ).expect(400);
    expect(response.body).toMatchObject({
      status: 400,
      code: 'SEGMENT_CALL_INVALID',
      errors: [{ path: 'traits.phone', message: expect.stringMatching(/^traits\.phone \(as /) }],
    });
  });

  describe('the write key in the body (analytics.js in a browser)', () => {
    const asBrowser = { 'content-type': 'text/plain;charset=UTF-8' };
    const browserSend = (path: string, body: object) =>
      request(platform.url).post(`/v1/segment/${path}`).set(asBrowser).send(JSON.stringify(body));

    it('takes the write key as writeKey in the body, on single calls and batches', async () => {
      const anonymousId = `anon-${unique()}`;
      const single = await browserSend('page', {
        ...page(anonymousId),
        writeKey: platform.keys.segment,
      }).expect(200);
      expect(single.body).toMatchObject({ recorded: 1 });
      const batch = await browserSend('batch', {
        batch: [identify(`C-ident-${unique()}`, anonymousId, {})],
        writeKey: platform.keys.segment,
      }).expect(200);
      expect(batch.body).toMatchObject({ recorded: 1 });
    });

    it('refuses a wrong or missing write key with 401, and a key of another role with 403', async () => {
      const wrong = await browserSend('page', {
        ...page(`anon-${unique()}`),
        writeKey: 'not-a-write-key-we-know-0000',
      }).expect(401);
      expect(wrong.body).toMatchObject({ status: 401, code: 'API_KEY_UNKNOWN' });
      const missing = await browserSend('page', page(`anon-${unique()}`)).expect(401);
      expect(missing.body).toMatchObject({
        code: 'API_KEY_MISSING',
        detail: expect.stringContaining('"writeKey" in the JSON body'),
      });
      const analyst = await browserSend('page', {
        ...page(`anon-${unique()}`),
        writeKey: platform.keys.analyst,
      }).expect(403);
      expect(analyst.body).toMatchObject({ code: 'ROLE_FORBIDDEN' });
      // A key in the headers comes first: a wrong one is not saved by a right one in the body.
      await request(platform.url)
        .post('/v1/segment/page')
        .set({ ...asBrowser, 'X-API-Key': 'not-a-write-key-we-know-0000' })
        .send(JSON.stringify({ ...page(`anon-${unique()}`), writeKey: platform.keys.segment }))
        .expect(401);
    });

    it('reads no body over 512 KiB for a key: 401 before the body', async () => {
      const padding = 'x'.repeat(600 * 1024);
      const response = await browserSend('page', {
        ...page(`anon-${unique()}`),
        properties: { url: 'https://shop.example.com/', title: padding },
        writeKey: platform.keys.segment,
      }).expect(401);
      expect(response.body).toMatchObject({
        code: 'API_KEY_MISSING',
        detail: expect.stringContaining('at most 524288 bytes'),
      });
    });
  });
});
