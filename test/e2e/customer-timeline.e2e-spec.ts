import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

interface Item {
  revision: string;
  position: string;
  eventId: string;
  eventType: string;
  type: string;
  touchpointId: string;
  source: string;
  channel: string;
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

describe('customer timeline', () => {
  let platform: RunningPlatform;
  const id = 'C-timeline';
  const touchpoints = [
    ['web_visit', 'web', '2026-01-05T10:00:00Z', { url: 'https://shop.example/a' }],
    [
      'purchase',
      'store',
      '2026-01-06T10:00:00Z',
      { orderId: 'O-1', amount: { minor: 5000, currency: 'EUR' } },
    ],
    ['email', 'email', '2026-02-01T10:00:00Z', { direction: 'outbound', action: 'opened' }],
    [
      'call',
      'phone',
      '2026-02-10T10:00:00Z',
      { direction: 'inbound', durationSeconds: 60, reason: 'say "hi", then\nhang up' },
    ],
    [
      'purchase',
      'web',
      '2026-03-01T10:00:00Z',
      { orderId: 'O-2', amount: { minor: 1999, currency: 'EUR' } },
    ],
    ['cancellation', 'web', '2026-03-02T10:00:00Z', { orderId: 'O-2' }],
    ['complaint', 'phone', '2026-03-03T10:00:00Z', { complaintId: 'K-1', category: 'delivery' }],
    ['web_visit', 'web', '2026-04-01T10:00:00Z', { url: 'https://shop.example/b' }],
  ] as const;

  beforeAll(async () => {
    platform = await startPlatform();
    const body = touchpoints.map(([type, channel, occurredAt, data], n) => ({
      // A producer id that a spreadsheet would run as a formula.
      touchpointId: n === 0 ? '=HYPERLINK("http://evil.example","x")' : `tp-${n}`,
      source: 'crm',
      customerId: id,
      type,
      occurredAt,
      channel,
      data,
    }));
    const written = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(body)
      .expect(202);
    expect(written.body.recorded).toBe(touchpoints.length);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const get = (query: Record<string, string | number> = {}, customerId = id) =>
    request(platform.url)
      .get(`/v1/customers/${customerId}/timeline`)
      .set(platform.auth('analyst'))
      .query(query);

  async function allPages(query: Record<string, string | number>): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    for (;;) {
      const { body } = await get({ ...query, ...(cursor ? { cursor } : {}) }).expect(200);
      items.push(...body.items);
      if (!body.nextCursor) return items;
      cursor = body.nextCursor;
    }
  }

  it('lists every touchpoint newest recorded first, straight from the event store', async () => {
    const { body } = await get().expect(200);
    expect(body.customerId).toBe(id);
    expect(body.nextCursor).toBeUndefined();
    expect(body.items.map((i: Item) => i.revision)).toEqual([
      '7',
      '6',
      '5',
      '4',
      '3',
      '2',
      '1',
      '0',
    ]);
    expect(body.items[6]).toMatchObject({
      type: 'purchase',
      eventType: 'PurchaseCompleted',
      channel: 'store',
      source: 'crm',
      touchpointId: 'tp-1',
      occurredAt: '2026-01-06T10:00:00.000Z',
      data: { orderId: 'O-1', amount: { minor: 5000, currency: 'EUR' } },
    });
  });

  it('pages by cursor without gaps or repeats', async () => {
    const first = await get({ limit: 3 }).expect(200);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toBe('5');
    const paged = await allPages({ limit: 3 });
    const whole = (await get().expect(200)).body.items;
    expect(paged).toEqual(whole);
  });

  it('filters by type, channel and occurredAt range (from inclusive, to exclusive)', async () => {
    const byType = (await get({ type: 'purchase,cancellation' }).expect(200)).body.items;
    expect(byType.map((i: Item) => i.type)).toEqual(['cancellation', 'purchase', 'purchase']);
    const byChannel = (await get({ channel: 'phone' }).expect(200)).body.items;
    expect(byChannel.map((i: Item) => i.type)).toEqual(['complaint', 'call']);
    const inRange = (
      await get({ from: '2026-02-01T10:00:00Z', to: '2026-03-02T10:00:00Z' }).expect(200)
    ).body.items;
    expect(inRange.map((i: Item) => i.revision)).toEqual(['4', '3', '2']);
    const pagedFilter = await allPages({ channel: 'web', limit: 1 });
    expect(pagedFilter.map((i) => i.revision)).toEqual(['7', '5', '4', '0']);
  });

  it('exports the same rows as CSV, for Accept: text/csv and for ?format=csv', async () => {
    const json: Item[] = (await get().expect(200)).body.items;
    for (const response of [
      await get().set('Accept', 'text/csv').expect(200),
      await get({ format: 'csv' }).expect(200),
    ]) {
      expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="timeline-C-timeline.csv"',
      );
      const rows: Record<string, string>[] = parse(response.text, { columns: true });
      expect(rows).toHaveLength(json.length);
      rows.forEach((row, n) => {
        const item = json[n];
        const { data, ...fields } = item;
        const expected = Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, /^[=+\-@\t\r]/.test(v) ? `'${v}` : v]),
        );
        expect({ ...row, data: JSON.parse(row.data) }).toEqual({ ...expected, data });
      });
    }
  });

  it('neutralises formulas in CSV cells', async () => {
    const response = await get({ format: 'csv', type: 'web_visit' }).expect(200);
    const rows: Record<string, string>[] = parse(response.text, { columns: true });
    expect(rows.map((r) => r.touchpointId)).toEqual([
      'tp-7',
      `'=HYPERLINK("http://evil.example","x")`,
    ]);
  });

  it('streams the CSV filtered, from a cursor on', async () => {
    const response = await get({ format: 'csv', channel: 'web', cursor: '5' }).expect(200);
    const rows: Record<string, string>[] = parse(response.text, { columns: true });
    expect(rows.map((r) => r.revision)).toEqual(['4', '0']);
  });

  it('answers 404 for an unknown customer, in JSON and CSV', async () => {
    await get({}, 'C-nobody').expect(404);
    const csv = await get({ format: 'csv' }, 'C-nobody').expect(404);
    expect(csv.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers an empty page for a known customer when nothing matches', async () => {
    const { body } = await get({ type: 'complaint_resolved' }).expect(200);
    expect(body).toEqual({ customerId: id, items: [] });
  });

  it('refuses bad parameters naming each of them', async () => {
    const { body } = await get({
      limit: 0,
      type: 'fax',
      channel: 'pigeon',
      from: 'yesterday',
      cursor: 'abc',
      colour: 'red',
      format: 'xml',
    }).expect(400);
    expect([...new Set(body.errors.map((e: { path: string }) => e.path))].sort()).toEqual([
      'channel',
      'colour',
      'cursor',
      'format',
      'from',
      'limit',
      'type',
    ]);
  });
});
