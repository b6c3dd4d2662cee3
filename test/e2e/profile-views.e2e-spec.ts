import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

// Refreshes are platform-wide computations: generous on a busy machine.
jest.setTimeout(300_000);

/**
 * Views follow the merged profile (issue 30, item 4), over real HTTP on the embedded platform:
 * an anonymous shopper browses and buys as a guest, then logs in; the login merges the
 * anonymous profile into the customer, and every view counts the person once, with all of
 * their history.
 */
describe('views of a merged profile over HTTP', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({ READ_YOUR_WRITES_TIMEOUT_MS: '60000' });
  }, 300_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const visit = (touchpointId: string, days: number, who: Record<string, unknown>) => ({
    touchpointId,
    source: 'webshop',
    type: 'web_visit',
    occurredAt: daysAgo(days),
    channel: 'web',
    data: { url: `https://shop.example/${touchpointId}` },
    ...who,
  });
  const purchase = (touchpointId: string, days: number, minor: number, who: object) => ({
    touchpointId,
    source: 'webshop',
    type: 'purchase',
    occurredAt: daysAgo(days),
    channel: 'web',
    data: { orderId: `O-${touchpointId}`, amount: { minor, currency: 'EUR' } },
    ...who,
  });
  const write = async (touchpoints: object[]) => {
    const response = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(touchpoints)
      .expect(202);
    return {
      position: response.headers['x-position'] as string,
      customerIds: (response.body.items as { customerId: string }[]).map((i) => i.customerId),
    };
  };
  const read = (path: string, position: string, query: object = {}) =>
    request(platform.url)
      .get(path)
      .query(query)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', position)
      .expect(200);

  it('counts the anonymous visits and guest order in the customer who logs in, once in every list', async () => {
    // The first snapshot (a full refresh) comes once the projector has caught up.
    const ready = Date.now() + 60_000;
    while (
      Date.now() < ready &&
      (await request(platform.url).get('/v1/tiers').set(platform.auth('analyst'))).status !== 200
    )
      await new Promise((resolve) => setTimeout(resolve, 250));
    const anonymous = { identifiers: [{ type: 'anonymousId', value: 'a-pv-1' }] };
    const guest = await write([
      visit('pv-1', 9, anonymous),
      visit('pv-2', 8, anonymous),
      purchase('pv-3', 8, 2_500, anonymous),
    ]);
    const profile = guest.customerIds[0];
    expect(profile).toMatch(/^profile\./);
    const other = await write([purchase('other-1', 20, 9_000, { customerId: 'C-PV-2' })]);
    const before = await read('/v1/tiers', other.position);
    expect(before.body.customers).toBe(2);

    const login = await write([
      visit('pv-4', 1, {
        customerId: 'C-PV-1',
        identifiers: [{ type: 'anonymousId', value: 'a-pv-1' }],
      }),
      purchase('pv-5', 1, 4_000, { customerId: 'C-PV-1' }),
    ]);
    expect(login.customerIds).toEqual(['C-PV-1', 'C-PV-1']);

    const view = (await read('/v1/customers/C-PV-1', login.position)).body;
    expect(view).toMatchObject({
      customerId: 'C-PV-1',
      countsByType: { web_visit: 3, purchase: 2 },
      orderCount: 2,
      netRevenue: { EUR: 6_500 },
      profile: { id: 'C-PV-1', members: ['C-PV-1', profile] },
    });
    // The absorbed id answers the profile it belongs to.
    const absorbed = (await read(`/v1/customers/${profile}`, login.position)).body;
    expect(absorbed).toMatchObject({
      customerId: 'C-PV-1',
      touchpointCount: 5,
      profile: { id: 'C-PV-1', members: ['C-PV-1', profile] },
    });

    const timeline = (await read('/v1/customers/C-PV-1/timeline', login.position)).body;
    expect(timeline.members).toEqual(['C-PV-1', profile]);
    expect(timeline.items.map((i: { touchpointId: string }) => i.touchpointId)).toEqual([
      'pv-5',
      'pv-4',
      'pv-3',
      'pv-2',
      'pv-1',
    ]);
    expect(timeline.items[4].customerId).toBe(profile);
    const paged = (await read('/v1/customers/C-PV-1/timeline', login.position, { limit: 2 })).body;
    const rest = (
      await read('/v1/customers/C-PV-1/timeline', login.position, { cursor: paged.nextCursor })
    ).body;
    expect(
      [...paged.items, ...rest.items].map((i: { touchpointId: string }) => i.touchpointId),
    ).toEqual(['pv-5', 'pv-4', 'pv-3', 'pv-2', 'pv-1']);

    const list = (await read('/v1/customers', login.position, { limit: 50 })).body;
    expect(list.items.map((i: { customerId: string }) => i.customerId).sort()).toEqual([
      'C-PV-1',
      'C-PV-2',
    ]);
    const tiers = (await read('/v1/tiers', login.position)).body;
    expect(tiers.customers).toBe(2);
    expect(tiers.totalRevenueMinor).toBe(6_500 + 9_000);
  });

  it("answers the export and the signal filter of an absorbed id with the whole profile's", async () => {
    const anonymous = { identifiers: [{ type: 'anonymousId', value: 'a-pv-2' }] };
    // Open for five days: a complaint follow-up is due, whoever the signal is derived for.
    const guest = await write([
      {
        touchpointId: 'pv-c1',
        source: 'webshop',
        type: 'complaint',
        occurredAt: daysAgo(5),
        channel: 'web',
        data: { complaintId: 'K-pv', category: 'delivery' },
        ...anonymous,
      },
    ]);
    const absorbed = guest.customerIds[0];
    const login = await write([visit('pv-c2', 1, { customerId: 'C-PV-3', ...anonymous })]);
    await read('/v1/customers/C-PV-3', login.position);
    const members = ['C-PV-3', absorbed].sort();

    const exported = (
      await request(platform.url)
        .get(`/v1/customers/${absorbed}/export`)
        .set(platform.auth('admin'))
        .expect(200)
    ).body;
    expect(exported).toMatchObject({
      customerId: 'C-PV-3',
      profile: { id: 'C-PV-3', members },
      view: { customerId: 'C-PV-3', touchpointCount: 2 },
    });
    expect(
      exported.events.map((e: { customerId: string; data: { touchpointId: string } }) => [
        e.customerId,
        e.data.touchpointId,
      ]),
    ).toEqual([
      [absorbed, 'pv-c1'],
      ['C-PV-3', 'pv-c2'],
    ]);

    // Signals derived before the merge name the absorbed id, later ones the profile's: asked by
    // either member, the same signals.
    const signalsOf = async (customer: string) =>
      (
        await request(platform.url)
          .get('/v1/signals')
          .query({ customer })
          .set(platform.auth('analyst'))
          .expect(200)
      ).body.items.map((s: { id: string }) => s.id) as string[];
    const until = Date.now() + 120_000;
    let bySurvivor: string[] = [];
    let byAbsorbed: string[] = [];
    do {
      bySurvivor = await signalsOf('C-PV-3');
      byAbsorbed = await signalsOf(absorbed);
      if (bySurvivor.length > 0 && bySurvivor.join() === byAbsorbed.join()) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < until);
    expect(bySurvivor.length).toBeGreaterThan(0);
    expect(byAbsorbed).toEqual(bySurvivor);
  });
});
