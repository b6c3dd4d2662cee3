import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { startPlatform, TEST_API_KEYS, type RunningPlatform } from '@rapport/test-support';

/**
 * Tiers, churn signals, segments and retention over HTTP, on a small deterministic base:
 * 30 regular customers of varied value, 5 big spenders, and 5 who bought every two weeks
 * and then went silent.
 */
const DAY = 86_400_000;
const NOW = Date.now();
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

function purchases(
  customerId: string,
  count: number,
  everyDays: number,
  lastDaysAgo: number,
  minor: number,
) {
  return Array.from({ length: count }, (_, i) => ({
    touchpointId: `${customerId}-p${i}`,
    source: 'pos',
    customerId,
    type: 'purchase',
    occurredAt: at(lastDaysAgo + (count - 1 - i) * everyDays),
    channel: 'store',
    data: { orderId: `${customerId}-O${i}`, amount: { minor, currency: 'EUR' } },
  }));
}

// The first refit starts the model's worker thread, which compiles sources in tests: seconds on a
// busy shared machine.
jest.setTimeout(60_000);

describe('insights over HTTP: tiers, churn, segments, retention', () => {
  let platform: RunningPlatform;
  const regulars = Array.from({ length: 30 }, (_, i) => `R-${String(i).padStart(2, '0')}`);
  const whales = Array.from({ length: 5 }, (_, i) => `W-${i}`);
  const lapsed = Array.from({ length: 5 }, (_, i) => `L-${i}`);

  beforeAll(async () => {
    platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '0' });
    const touchpoints = [
      ...regulars.flatMap((id, i) => purchases(id, 3 + (i % 4), 30, 5 + (i % 10), 1_000 + i * 50)),
      ...whales.flatMap((id) => purchases(id, 10, 20, 3, 50_000)),
      ...lapsed.flatMap((id) => purchases(id, 12, 14, 200, 4_000)),
      {
        touchpointId: 'L-0-k1',
        source: 'crm',
        customerId: 'L-0',
        type: 'complaint',
        occurredAt: at(60),
        channel: 'phone',
        data: { complaintId: 'K-1', category: 'delivery' },
      },
      // The business's campaign email after the customer's last step: contact, not a sighting.
      {
        touchpointId: 'L-0-e1',
        source: 'email-platform',
        customerId: 'L-0',
        type: 'email',
        occurredAt: at(2),
        channel: 'email',
        data: { direction: 'outbound', action: 'sent', campaignId: 'winback' },
      },
    ];
    for (let i = 0; i < touchpoints.length; i += 500) {
      await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(touchpoints.slice(i, i + 500))
        .expect(202);
    }
    await waitForViews(platform.url, [...regulars, ...whales, ...lapsed]);
  }, 60_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  it('answers 503 with Retry-After before the first model, then refits on demand', async () => {
    const before = await request(platform.url)
      .get('/v1/tiers')
      .set(platform.auth('analyst'))
      .expect(503);
    expect(before.headers['retry-after']).toBe('5');
    expect(before.body.code).toBe('INSIGHTS_NOT_READY');

    const fit = await request(platform.url)
      .post('/v1/model/fit')
      .set(platform.auth('admin'))
      .expect(200);
    expect(fit.body).toMatchObject({
      current: true,
      customers: 40,
      fit: { unit: 'weeks', customers: 40 },
    });
    for (const p of ['r', 'alpha', 'a', 'b']) expect(fit.body.fit.params[p]).toBeGreaterThan(0);
    expect(Number.isFinite(fit.body.fit.logLikelihood)).toBe(true);
    await request(platform.url).get('/v1/model').set(platform.auth('analyst')).expect(200);
  });

  it('reports tiers whose shares add up, with cutoffs, Lorenz curve and Gini', async () => {
    const { body } = await request(platform.url)
      .get('/v1/tiers')
      .set(platform.auth('analyst'))
      .expect(200);
    const tiers = ['A', 'B', 'C'].map((t) => body.tiers[t]);
    expect(
      tiers.reduce((sum: number, t: { revenueShare: number }) => sum + t.revenueShare, 0),
    ).toBeCloseTo(1, 10);
    expect(tiers.reduce((sum: number, t: { count: number }) => sum + t.count, 0)).toBe(
      body.customersWithRevenue,
    );
    expect(body.tiers.A.count).toBeGreaterThanOrEqual(5);
    expect(body.cutoffs.a).toMatchObject({ revenueMinor: expect.any(Number) });
    expect(body.gini).toBeGreaterThan(0);
    expect(body.gini).toBeLessThan(1);
    expect(body.lorenzCurve[0]).toEqual({ customerShare: 0, revenueShare: 0 });
    expect(body.lorenzCurve.at(-1)).toEqual({ customerShare: 1, revenueShare: 1 });
    expect(body.currency).toBe('EUR');
  });

  it('summarises the lifecycle segments, agreeing with the customers listed by segment', async () => {
    const { body } = await request(platform.url)
      .get('/v1/segments')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(body).toMatchObject({ customers: 40, currency: 'EUR' });
    expect(Object.keys(body.segments)).toEqual([
      'new',
      'active_value',
      'potential',
      'migrating',
      'dormant',
    ]);
    const counts = Object.values(body.segments as Record<string, { count: number }>);
    expect(counts.reduce((n, s) => n + s.count, 0)).toBe(40);
    for (const [segment, figures] of Object.entries(
      body.segments as Record<string, { count: number; revenueMinor: number }>,
    )) {
      const { body: listed } = await request(platform.url)
        .get('/v1/customers')
        .set(platform.auth('analyst'))
        .query({ segment, limit: 100 })
        .expect(200);
      const revenue = listed.items.reduce(
        (sum: number, item: { revenueMinor: number }) => sum + item.revenueMinor,
        0,
      );
      expect({ segment, count: listed.items.length, revenue }).toEqual({
        segment,
        count: figures.count,
        revenue: figures.revenueMinor,
      });
    }
  });

  it('lists the customers of a tier page by page, each once, in revenue order', async () => {
    const seen: Array<{ customerId: string; revenueMinor: number; valueTier: string }> = [];
    let cursor: string | undefined;
    do {
      const { body } = await request(platform.url)
        .get('/v1/customers')
        .set(platform.auth('analyst'))
        .query({ tier: 'A', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...body.items);
      cursor = body.next;
    } while (cursor);
    expect(new Set(seen.map((r) => r.customerId)).size).toBe(seen.length);
    expect(seen.every((r) => r.valueTier === 'A')).toBe(true);
    expect(
      seen
        .map((r) => r.customerId)
        .slice(0, 5)
        .sort(),
    ).toEqual(whales);
    const revenues = seen.map((r) => r.revenueMinor);
    expect([...revenues].sort((x, y) => y - x)).toEqual(revenues);
  });

  it('puts the customers who went silent at risk, with the reasons', async () => {
    const { body } = await request(platform.url)
      .get('/v1/at-risk')
      .set(platform.auth('analyst'))
      .query({ limit: 100 })
      .expect(200);
    const ids = body.items.map((r: { customerId: string }) => r.customerId);
    for (const id of lapsed) expect(ids).toContain(id);
    const values = body.items.map((r: { valueAtRiskMinor: number }) => r.valueAtRiskMinor);
    expect([...values].sort((x, y) => y - x)).toEqual(values);
    const l0 = body.items.find((r: { customerId: string }) => r.customerId === 'L-0');
    expect(l0.reasons.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(['PURCHASE_OVERDUE', 'UNRESOLVED_COMPLAINTS']),
    );
    expect(l0.reasons[0].explanation).toEqual(expect.any(String));
  });

  it('shows tier, segment and churn risk with reasons in the single customer view', async () => {
    const whale = await request(platform.url)
      .get('/v1/customers/W-0')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(whale.body.insights).toMatchObject({
      valueTier: 'A',
      churn: { band: 'low' },
      trailingRevenue: { currency: 'EUR', windowMonths: 12 },
    });
    expect(whale.body).toMatchObject({
      averageOrderValue: { EUR: 50_000 },
      purchaseGaps: { count: 9, medianDays: 20 },
      channelsUsed: ['store'],
    });
    const lapsedView = await request(platform.url)
      .get('/v1/customers/L-1')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(['migrating', 'dormant']).toContain(lapsedView.body.insights.segment.segment);
    expect(lapsedView.body.insights.churn.reasons.map((r: { code: string }) => r.code)).toContain(
      'PURCHASE_OVERDUE',
    );
    // As of a date when L-1 was still buying, nothing was overdue.
    const earlier = await request(platform.url)
      .get('/v1/customers/L-1')
      .set(platform.auth('analyst'))
      .query({ asOf: at(200) })
      .expect(200);
    expect(earlier.body.insights.churn.reasons.map((r: { code: string }) => r.code)).not.toContain(
      'PURCHASE_OVERDUE',
    );
  });

  it("keeps last seen to the customer's own steps and the business's contact apart", async () => {
    const view = await request(platform.url)
      .get('/v1/customers/L-0')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(view.body).toMatchObject({ lastSeenAt: at(60), lastContactedAt: at(2) });
    const list = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ limit: 10_000, lastSeenFrom: at(30) })
      .expect(200);
    expect(list.body.items.map((r: { customerId: string }) => r.customerId)).not.toContain('L-0');
    const csv = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ format: 'csv' })
      .expect(200);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.find((r) => r.customerId === 'L-0')?.lastSeenAt).toBe(at(60));
  });

  it('takes a plain date as asOf, meaning its end, and counts only the customers known by then', async () => {
    const day = at(100).slice(0, 10);
    const { body } = await request(platform.url)
      .get('/v1/tiers')
      .set(platform.auth('analyst'))
      .query({ asOf: day })
      .expect(200);
    expect(body.asOf).toBe(`${day}T23:59:59.999Z`);
    const firstPurchase = [
      ...regulars.map((_id, i) => at(5 + (i % 10) + (2 + (i % 4)) * 30)),
      ...whales.map(() => at(3 + 9 * 20)),
      ...lapsed.map(() => at(200 + 11 * 14)),
    ];
    const known = firstPurchase.filter((first) => first <= body.asOf).length;
    expect(known).toBeLessThan(40);
    expect(body.customers).toBe(known);
  });

  it('reports retention: repeat purchase rate and the cohort table', async () => {
    const { body } = await request(platform.url)
      .get('/v1/retention')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(body).toMatchObject({ buyers: 40, repeatBuyers: 40, repeatPurchaseRate: 1 });
    expect(body.cohorts.cohorts.length).toBeGreaterThan(0);
    for (const row of body.cohorts.cohorts) expect(row.retentionRates[0]).toBe(1);
  });

  it('exports every list as CSV that reads back to the JSON rows', async () => {
    const json = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ limit: 10_000 })
      .expect(200);
    const csv = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .set('accept', 'text/csv')
      .query({ limit: 2 })
      .expect(200)
      .expect('content-type', /text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(json.body.items.length);
    rows.forEach((row, i) => {
      const item = json.body.items[i];
      expect(row.customerId).toBe(item.customerId);
      expect(Number(row.revenueMinor)).toBe(item.revenueMinor);
      expect(row.valueTier).toBe(item.valueTier);
      expect(row.reasons).toBe(item.reasonCodes.join(' '));
      expect(row.currency).toBe('EUR');
      // Every code comes with its words, in the same order.
      expect(row.reasonWords.split('; ').filter(Boolean)).toHaveLength(item.reasonCodes.length);
    });
    expect(json.body.currency).toBe('EUR');
    const atRisk = await request(platform.url)
      .get('/v1/at-risk')
      .set(platform.auth('analyst'))
      .query({ format: 'csv' })
      .expect(200);
    const atRiskRows = parse(atRisk.text, { columns: true }) as Array<Record<string, string>>;
    expect(atRiskRows.map((r) => r.customerId)).toEqual(expect.arrayContaining(lapsed));
  });

  it('accepts minPosition on the list routes (read-your-writes)', async () => {
    await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ minPosition: '0', tier: 'A' })
      .expect(200);
  });

  it('refuses bad parameters naming each of them', async () => {
    const { body } = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ tier: 'Z', limit: 0, colour: 'red' })
      .expect(400);
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'colour',
      'limit',
      'tier',
    ]);
    const asOf = await request(platform.url)
      .get('/v1/tiers')
      .set(platform.auth('analyst'))
      .query({ asOf: 'yesterday' })
      .expect(400);
    expect(asOf.body.errors).toEqual([expect.objectContaining({ path: 'asOf' })]);
    await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ cursor: 'not-a-cursor' })
      .expect(400);
  });
});

async function waitForViews(url: string, ids: string[]): Promise<void> {
  const analyst = { Authorization: `Bearer ${TEST_API_KEYS.analyst}` };
  const deadline = Date.now() + 20_000;
  for (const id of ids) {
    for (;;) {
      const response = await request(url).get(`/v1/customers/${id}`).set(analyst);
      if (response.status === 200) break;
      if (Date.now() > deadline) throw new Error(`view of ${id} never appeared`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
