import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { eventually, startPlatform, type RunningPlatform } from '@rapport/test-support';

interface SignalItem {
  id: string;
  rule: string;
  trigger: string;
  subject: { kind: string; id: string };
}
interface SignalsPage {
  items: SignalItem[];
  nextCursor?: string;
}

// The platform and its signal derivation start first: seconds on a busy shared machine.
jest.setTimeout(60_000);

describe('GET /v1/customers/{id}/signals', () => {
  let platform: RunningPlatform;
  /** The anonymous visitor's profile, merged into C-cs-2 once both have their signals. */
  let visitor = '';
  const touchpoint = (n: number, type: string, occurredAt: string, data: object) => ({
    touchpointId: `cs-${n}`,
    source: 'crm',
    type,
    occurredAt,
    channel: 'web',
    data,
  });
  const purchase = (orderId: string, minor: number) => ({
    orderId,
    amount: { minor, currency: 'EUR' },
  });

  beforeAll(async () => {
    // No Kafka: signals are derived into the ledger and listed as pending.
    platform = await startPlatform({ SIGNALS_SWEEP_SECONDS: '1' });
    const written = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send([
        {
          ...touchpoint(1, 'purchase', '2026-03-01T10:00:00Z', purchase('O-1', 4999)),
          customerId: 'C-cs-1',
        },
        {
          ...touchpoint(2, 'complaint', '2026-03-01T12:00:00Z', {
            complaintId: 'K-1',
            category: 'delivery',
          }),
          customerId: 'C-cs-1',
        },
        {
          ...touchpoint(3, 'purchase', '2026-03-01T11:00:00Z', purchase('O-2', 1500)),
          customerId: 'C-cs-2',
        },
        {
          ...touchpoint(4, 'purchase', '2026-03-01T11:30:00Z', purchase('O-3', 2500)),
          identifiers: [{ type: 'anonymousId', value: 'cs-visitor' }],
        },
        // Event time moves on two days: the complaint is open 48 hours.
        {
          ...touchpoint(5, 'web_visit', '2026-03-04T00:00:00Z', { url: 'https://shop.example/' }),
          customerId: 'C-cs-3',
        },
      ])
      .expect(202);
    visitor = written.body.items[3].customerId;
    await eventually(async () => {
      expect((await list('C-cs-1')).items).toHaveLength(2);
      expect((await list('C-cs-2')).items).toHaveLength(1);
      expect((await list(visitor)).items).toHaveLength(1);
    }, 30_000);
  }, 90_000);

  afterAll(async () => {
    await platform?.destroy();
  }, 60_000);

  const get = (customerId: string, query = '', minPosition?: string) => {
    const call = request(platform.url)
      .get(`/v1/customers/${encodeURIComponent(customerId)}/signals${query}`)
      .set(platform.auth('analyst'));
    return minPosition ? call.set('X-Min-Position', minPosition) : call;
  };
  const list = async (customerId: string, query = '', minPosition?: string) =>
    (await get(customerId, query, minPosition).expect(200)).body as SignalsPage;

  it("lists only that customer's signals, in the order derived", async () => {
    const { items } = await list('C-cs-1');
    expect(items.map((s) => s.subject.id)).toEqual(['C-cs-1', 'C-cs-1']);
    expect(items.map((s) => s.trigger).sort()).toEqual(['complaint-open', 'first-purchase']);
    expect((await list('C-cs-2')).items).toEqual([
      expect.objectContaining({ rule: 'thank-you', subject: { kind: 'customer', id: 'C-cs-2' } }),
    ]);
  });

  it('answers a known customer without signals with an empty page', async () => {
    expect(await list('C-cs-3')).toEqual({ items: [] });
  });

  it('filters by rule and since, and pages with a cursor', async () => {
    expect((await list('C-cs-1', '?rule=complaint-follow-up')).items.map((s) => s.trigger)).toEqual(
      ['complaint-open'],
    );
    expect((await list('C-cs-1', '?since=2026-03-02T00:00:00Z')).items).toHaveLength(1);
    const first = await list('C-cs-1', '?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toMatch(/^\d+$/);
    const second = await list('C-cs-1', `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });

  it('answers CSV for format=csv', async () => {
    const response = await get('C-cs-1', '?format=csv').expect(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = parse(response.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.subjectId)).toEqual(['C-cs-1', 'C-cs-1']);
  });

  it('answers 404 for a customer nobody recorded, 400 naming a bad id or filter, 403 to ingest', async () => {
    const unknown = await get('C-cs-nobody').expect(404);
    expect(unknown.body.detail).toContain('C-cs-nobody');
    const badId = await get('not an id').expect(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ path: 'customerId' })]);
    const badFilter = await get('C-cs-1', '?rule=nope&limit=0').expect(400);
    expect(JSON.stringify(badFilter.body)).toContain('rule must be one of');
    expect(JSON.stringify(badFilter.body)).toContain('limit');
    await request(platform.url)
      .get('/v1/customers/C-cs-1/signals')
      .set(platform.auth('ingest'))
      .expect(403);
  });

  it("follows the profile: after a merge, any member lists every member's signals", async () => {
    const before = [...(await list('C-cs-2')).items, ...(await list(visitor)).items];
    const merged = await request(platform.url)
      .post('/v1/identities/merges')
      .set(platform.auth('admin'))
      .send({ profiles: ['C-cs-2', visitor], reason: 'same shopper' })
      .expect(200);
    const bySurvivor = await list('C-cs-2', '', merged.body.position);
    const byAbsorbed = await list(visitor, '', merged.body.position);
    expect(bySurvivor.items.map((s) => s.id)).toEqual(
      expect.arrayContaining(before.map((s) => s.id)),
    );
    expect(byAbsorbed).toEqual(bySurvivor);
  });
});
