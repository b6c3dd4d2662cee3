import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { eventually, startPlatform, type RunningPlatform } from '@rapport/test-support';

interface SignalItem {
  id: string;
  rule: string;
  trigger: string;
  subject: { kind: string; id: string };
  reason: string;
  evidence: { events: { eventId: string }[] };
  valueAtStake: { minor: number; currency: string } | null;
  dueAt: string;
  status: string;
  derivedAtPosition: string;
}

describe('GET /v1/signals', () => {
  let platform: RunningPlatform;
  const touchpoint = (
    n: number,
    customerId: string,
    type: string,
    occurredAt: string,
    data: object,
  ) => ({
    touchpointId: `sig-${n}`,
    source: 'crm',
    customerId,
    type,
    occurredAt,
    channel: 'web',
    data,
  });

  beforeAll(async () => {
    // No Kafka: signals are derived into the ledger and listed as pending.
    platform = await startPlatform({ SIGNALS_SWEEP_SECONDS: '1' });
    await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send([
        touchpoint(1, 'C-sig-1', 'purchase', '2026-03-01T10:00:00Z', {
          orderId: 'O-1',
          amount: { minor: 4999, currency: 'EUR' },
        }),
        touchpoint(2, 'C-sig-2', 'complaint', '2026-03-01T12:00:00Z', {
          complaintId: 'K-1',
          category: 'delivery',
        }),
        touchpoint(3, 'C-sig-3', 'web_visit', '2026-03-04T00:00:00Z', {
          url: 'https://shop.example/',
        }),
      ])
      .expect(202);
  }, 60_000);

  afterAll(async () => {
    await platform?.destroy();
  }, 60_000);

  const list = async (query = ''): Promise<{ items: SignalItem[]; nextCursor?: string }> =>
    (
      await request(platform.url)
        .get(`/v1/signals${query}`)
        .set(platform.auth('analyst'))
        .expect(200)
    ).body;

  it('lists the signals derived from events and event time, with reason, evidence and status', async () => {
    const { items } = await eventually(async () => {
      const page = await list();
      expect(page.items).toHaveLength(2);
      return page;
    }, 20_000);
    const byTrigger = Object.fromEntries(items.map((s) => [s.trigger, s]));
    expect(byTrigger['first-purchase']).toMatchObject({
      rule: 'thank-you',
      subject: { kind: 'customer', id: 'C-sig-1' },
      valueAtStake: { minor: 4999, currency: 'EUR' },
      status: 'pending',
    });
    // Open 48 hours by event time (the web visit two days later), not by the wall clock.
    expect(byTrigger['complaint-open']).toMatchObject({
      rule: 'complaint-follow-up',
      subject: { kind: 'customer', id: 'C-sig-2' },
      dueAt: '2026-03-03T12:00:00.000Z',
    });
    for (const item of items) expect(item.evidence.events.length).toBeGreaterThan(0);
  });

  it('filters by rule, customer and since, and pages with a cursor', async () => {
    expect((await list('?rule=complaint-follow-up')).items.map((s) => s.subject.id)).toEqual([
      'C-sig-2',
    ]);
    expect((await list('?customer=C-sig-1')).items.map((s) => s.trigger)).toEqual([
      'first-purchase',
    ]);
    expect((await list('?since=2026-03-02T00:00:00Z')).items.map((s) => s.trigger)).toEqual([
      'complaint-open',
    ]);
    const first = await list('?limit=1');
    expect(first.items).toHaveLength(1);
    const second = await list(`?limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });

  it('answers CSV for format=csv', async () => {
    const response = await request(platform.url)
      .get('/v1/signals?format=csv')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = parse(response.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.rule).sort()).toEqual(['complaint-follow-up', 'thank-you']);
    expect(rows.find((r) => r.rule === 'thank-you')?.valueAtStakeMinor).toBe('4999');
  });

  it('refuses a bad filter with 400 naming it, and other roles than analyst or admin with 403', async () => {
    const bad = await request(platform.url)
      .get('/v1/signals?rule=nope&since=yesterday')
      .set(platform.auth('analyst'))
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('rule must be one of');
    expect(JSON.stringify(bad.body)).toContain('since must be an ISO 8601');
    await request(platform.url).get('/v1/signals').set(platform.auth('ingest')).expect(403);
  });
});
