import request from 'supertest';
import { eventually, startPlatform, type RunningPlatform } from '@rapport/test-support';

/**
 * /v1/identities over real HTTP on the embedded platform: an identifier's profile with its
 * identifiers and history, merges and undos by hand (admin) recorded as events with who and
 * why, refusals recorded, the undo of a merge an identifier made, and the customers list
 * filtered by identifier.
 */
jest.setTimeout(60_000);

describe('identities over HTTP', () => {
  let platform: RunningPlatform;
  let anonymousProfile: string;
  let position: string;

  const visit = (touchpointId: string, extra: Record<string, unknown>) => ({
    touchpointId,
    source: 'webshop',
    type: 'web_visit',
    occurredAt: '2026-11-20T14:03:00Z',
    channel: 'web',
    data: { url: 'https://shop.example/boots' },
    ...extra,
  });
  const purchase = (touchpointId: string, customerId: string) => ({
    touchpointId,
    source: 'pos',
    customerId,
    type: 'purchase',
    occurredAt: '2026-11-21T10:00:00Z',
    channel: 'store',
    data: { orderId: `O-${touchpointId}`, amount: { minor: 4999, currency: 'EUR' } },
  });
  const send = async (body: object) => {
    const response = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(body)
      .expect(202);
    position = response.body.position;
    return response.body.items as Array<{ customerId: string }>;
  };
  const identity = (type: string, value: string) =>
    request(platform.url)
      .get(`/v1/identities/${type}/${encodeURIComponent(value)}`)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', position);
  const merge = (profiles: unknown, reason: unknown = 'same person, confirmed by phone') =>
    request(platform.url)
      .post('/v1/identities/merges')
      .set(platform.auth('admin'))
      .send({ profiles, reason });
  const undo = (mergeId: string, reason: unknown = 'shared family tablet') =>
    request(platform.url)
      .post(`/v1/identities/merges/${mergeId}/undo`)
      .set(platform.auth('admin'))
      .send({ reason });

  beforeAll(async () => {
    platform = await startPlatform();
    await send([
      purchase('p-1', 'C-ID-1'),
      visit('v-1', {
        customerId: 'C-ID-1',
        identifiers: [{ type: 'email', value: 'ada@example.com' }],
      }),
      visit('v-2', {
        customerId: 'C-ID-2',
        identifiers: [{ type: 'email', value: 'bob@example.com' }],
      }),
    ]);
    [{ customerId: anonymousProfile }] = await send(
      visit('v-3', { identifiers: [{ type: 'anonymousId', value: 'tablet-1' }] }),
    );
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('answers the profile an identifier names, the value normalised as touchpoints are', async () => {
    const { body } = await identity('email', '  Ada@Example.COM ').expect(200);
    expect(body).toMatchObject({
      identifier: { type: 'email', value: 'ada@example.com' },
      profileId: 'C-ID-1',
      survivor: 'C-ID-1',
      members: ['C-ID-1'],
      identifiers: [
        {
          type: 'email',
          value: 'ada@example.com',
          profileId: 'C-ID-1',
          linkedAt: '2026-11-20T14:03:00.000Z',
          evidence: { source: 'webshop', touchpointId: 'v-1' },
        },
      ],
      history: [],
      customer: { customerId: 'C-ID-1' },
    });
    // A customerId links nothing on its own, yet names its profile.
    await identity('customerId', 'C-ID-1').expect(200);
  });

  it('answers 404 for an identifier no profile holds, 400 naming a bad type or value', async () => {
    await identity('email', 'nobody@example.com').expect(404);
    const badValue = await identity('phone', 'call me').expect(400);
    expect(badValue.body.errors).toEqual([expect.objectContaining({ path: 'value' })]);
    const badType = await identity('shoeSize', '42').expect(400);
    expect(badType.body.errors).toEqual([expect.objectContaining({ path: 'type' })]);
  });

  it('merges by hand, answers the group and records who and why; undo splits it again', async () => {
    const merged = await merge([anonymousProfile, 'C-ID-1']).expect(200);
    expect(merged.body).toEqual({
      mergeId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      survivor: 'C-ID-1',
      members: ['C-ID-1', anonymousProfile].sort(),
      position: expect.stringMatching(/^\d+$/),
    });
    expect(merged.headers['x-position']).toBe(merged.body.position);
    position = merged.body.position;
    const { body: me } = await request(platform.url).get('/v1/me').set(platform.auth('admin'));

    const { body: joined } = await identity('anonymousId', 'tablet-1').expect(200);
    expect(joined).toMatchObject({ profileId: anonymousProfile, survivor: 'C-ID-1' });
    expect(joined.identifiers.map((i: { type: string }) => i.type).sort()).toEqual([
      'anonymousId',
      'email',
    ]);
    expect(joined.history).toEqual([
      expect.objectContaining({
        event: 'ProfilesMerged',
        mergeId: merged.body.mergeId,
        rule: 'manual',
        evidence: expect.objectContaining({
          by: me.keyId,
          reason: 'same person, confirmed by phone',
        }),
      }),
    ]);

    await merge(['C-ID-1', anonymousProfile])
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('PROFILES_ALREADY_MERGED'));

    const undone = await undo(merged.body.mergeId).expect(200);
    expect(undone.body).toMatchObject({
      mergeId: merged.body.mergeId,
      undone: [merged.body.mergeId],
      profiles: expect.arrayContaining([
        { profileId: anonymousProfile, survivor: anonymousProfile },
        { profileId: 'C-ID-1', survivor: 'C-ID-1' },
      ]),
    });
    position = undone.body.position;
    const { body: apart } = await identity('anonymousId', 'tablet-1').expect(200);
    expect(apart).toMatchObject({ survivor: anonymousProfile, members: [anonymousProfile] });
    expect(apart.history.map((h: { event: string }) => h.event)).toEqual([
      'ProfilesMerged',
      'MergeUndone',
    ]);
    expect(apart.history[1]).toMatchObject({ by: me.keyId, reason: 'shared family tablet' });

    await undo(merged.body.mergeId)
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('MERGE_ALREADY_UNDONE'));
  });

  it('refuses a merge that would break a limit with 409, and records the refusal', async () => {
    const refused = await merge(['C-ID-1', 'C-ID-2']).expect(409);
    expect(refused.body).toMatchObject({ code: 'MERGE_WOULD_BREAK_LIMIT' });
    expect(refused.body.detail).toMatch(/customerId/);
    position = refused.headers['x-position'];
    const { body } = await identity('email', 'bob@example.com').expect(200);
    expect(body.history).toEqual([
      expect.objectContaining({
        event: 'MergeRefused',
        rule: 'limit-per-profile',
        limit: { identifierType: 'customerId', max: 1, would: 2 },
        profiles: ['C-ID-1', 'C-ID-2'],
      }),
    ]);
  });

  it('answers 400 naming what is wrong with a merge or undo request, 404 for no such merge', async () => {
    const unknown = await merge(['C-ID-1', 'C-NOBODY']).expect(400);
    expect(unknown.body).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    expect(unknown.body.errors[0].message).toMatch(/C-NOBODY/);
    const one = await merge(['C-ID-1']).expect(400);
    expect(one.body.errors).toEqual([expect.objectContaining({ path: 'profiles' })]);
    const noReason = await merge(['C-ID-1', 'C-ID-2'], '').expect(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    await undo('not-a-merge-id').expect(400);
    await undo('00000000-0000-4000-8000-000000000000')
      .expect(404)
      .expect((r) => expect(r.headers['content-type']).toMatch(/problem\+json/));
  });

  it('undoes a merge an identifier made', async () => {
    const [{ customerId: visitor }] = await send(
      visit('v-4', { identifiers: [{ type: 'anonymousId', value: 'laptop-9' }] }),
    );
    await send(
      visit('v-5', {
        customerId: 'C-ID-3',
        identifiers: [{ type: 'anonymousId', value: 'laptop-9' }],
      }),
    );
    const { body } = await identity('anonymousId', 'laptop-9').expect(200);
    expect(body).toMatchObject({ survivor: 'C-ID-3', members: ['C-ID-3', visitor].sort() });
    const auto = body.history[0];
    expect(auto).toMatchObject({ event: 'ProfilesMerged', rule: 'identifier:anonymousId' });
    const undone = await undo(auto.mergeId).expect(200);
    position = undone.body.position;
    const { body: after } = await identity('anonymousId', 'laptop-9').expect(200);
    expect(after).toMatchObject({ survivor: visitor, members: [visitor] });
  });

  it('filters the customers list by identifier: the profile, empty when unknown, 400 when malformed', async () => {
    const list = (identifier: string) =>
      request(platform.url)
        .get('/v1/customers')
        .query({ identifier })
        .set(platform.auth('analyst'))
        .set('X-Min-Position', position);
    // The lists answer from an insights snapshot: the first comes with the first model.
    await eventually(
      () => request(platform.url).post('/v1/model/fit').set(platform.auth('admin')).expect(200),
      30_000,
    );
    const { body } = await list('email: ADA@example.com').expect(200);
    expect(body.items.map((i: { customerId: string }) => i.customerId)).toEqual(['C-ID-1']);
    const none = await list('email:nobody@example.com').expect(200);
    expect(none.body).toMatchObject({ items: [], total: 0 });
    const malformed = await list('ada@example.com').expect(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ path: 'identifier' })]);
    await list('phone:call me').expect(400);
  });
});
