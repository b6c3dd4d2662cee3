import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { startPlatform, TEST_API_KEYS, type RunningPlatform } from '@rapport/test-support';

/**
 * Lifetime value and de-selection over HTTP: the spend model beside BG/NBD, CLV in the customer
 * view and the list, tiers by predicted value, the customers who cost more than they bring, the
 * holdout check, and customers whose revenue is in another currency than the reporting one.
 */
const DAY = 86_400_000;
const NOW = Date.now();
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

function purchases(id: string, count: number, everyDays: number, minor: number, currency = 'EUR') {
  return Array.from({ length: count }, (_, i) => ({
    touchpointId: `${id}-p${i}`,
    source: 'pos',
    customerId: id,
    type: 'purchase',
    occurredAt: at(3 + (count - 1 - i) * everyDays),
    channel: 'store',
    data: { orderId: `${id}-O${i}`, amount: { minor, currency } },
  }));
}

function calls(id: string, count: number, minutes: number) {
  return Array.from({ length: count }, (_, i) => ({
    touchpointId: `${id}-c${i}`,
    source: 'callcentre',
    customerId: id,
    type: 'call',
    occurredAt: at(10 + i * 7),
    channel: 'phone',
    data: { direction: 'inbound', durationSeconds: minutes * 60 },
  }));
}

async function record(url: string, touchpoints: readonly object[]): Promise<string> {
  let position = '0';
  for (let i = 0; i < touchpoints.length; i += 500) {
    const { body } = await request(url)
      .post('/v1/touchpoints')
      .set({ Authorization: `Bearer ${TEST_API_KEYS.ingest}` })
      .send(touchpoints.slice(i, i + 500))
      .expect(202);
    position = body.position;
  }
  return position;
}

jest.setTimeout(60_000);

describe('lifetime value and de-selection over HTTP', () => {
  let platform: RunningPlatform;
  const regulars = Array.from({ length: 30 }, (_, i) => `R-${String(i).padStart(2, '0')}`);
  const costly = ['K-1', 'K-2'];
  const dollars = Array.from({ length: 4 }, (_, i) => `U-${i}`);
  // Never bought: one calls the call centre at length, one only visited the web shop.
  const costlyProspect = 'N-1';
  const quietProspect = 'N-2';
  let position: string;

  beforeAll(async () => {
    platform = await startPlatform({
      INSIGHTS_REFRESH_SECONDS: '0',
      COST_PER_CALL_MINUTE: '100',
      COST_PER_COMPLAINT: '5000',
      CLV_MARGIN_SHARE: '0.3',
    });
    position = await record(platform.url, [
      ...regulars.flatMap((id, i) =>
        purchases(id, 3 + (i % 5), 20 + (i % 3) * 10, 2_000 + i * 300),
      ),
      ...costly.flatMap((id) => [...purchases(id, 2, 60, 1_000), ...calls(id, 10, 30)]),
      ...dollars.flatMap((id) => purchases(id, 3, 30, 5_000, 'USD')),
      ...calls(costlyProspect, 10, 30),
      {
        touchpointId: `${quietProspect}-v0`,
        source: 'web',
        customerId: quietProspect,
        type: 'web_visit',
        occurredAt: at(40),
        channel: 'web',
        data: { url: 'https://shop.example/' },
      },
    ]);
  });
  afterAll(() => platform?.destroy());

  const get = (path: string) =>
    request(platform.url).get(path).set(platform.auth('analyst')).set('X-Min-Position', position);

  it('fits the spend model beside BG/NBD and shows both in GET /v1/model', async () => {
    const fit = await request(platform.url)
      .post('/v1/model/fit')
      .set(platform.auth('admin'))
      .set('X-Min-Position', position)
      .expect(200);
    expect(fit.body.fit.params.r).toBeGreaterThan(0);
    const spend = fit.body.spendFit;
    for (const p of ['p', 'q', 'gamma']) expect(spend.params[p]).toBeGreaterThan(0);
    expect(Number.isFinite(spend.logLikelihood)).toBe(true);
    expect(Math.abs(spend.frequencySpendCorrelation)).toBeLessThanOrEqual(1);
    // Repeat customers with EUR spend: the regulars and the costly two.
    expect(spend.customers).toBe(32);
    const model = await get('/v1/model').expect(200);
    expect(model.body.spendFit).toEqual(spend);
  });

  it('gives each customer a CLV, a predicted tier and a cost to serve in their view', async () => {
    const { body } = await get('/v1/customers/K-1').expect(200);
    expect(body.serviceByDay.length).toBe(10);
    expect(body.insights.value).toMatchObject({
      horizonMonths: 12,
      costToServe: {
        trailingMinor: 30_000,
        parts: [{ driver: 'calls', units: 300, costMinor: 30_000 }],
      },
    });
    expect(body.insights.value.clvMinor).toBeGreaterThanOrEqual(0);
    expect(body.insights.value.netValueMinor).toBeLessThan(0);
    const dollar = await get('/v1/customers/U-0').expect(200);
    expect(dollar.body.insights.value).toMatchObject({
      clvMinor: null,
      note: 'no purchase in EUR',
    });
  });

  it('lists customers by CLV, filters by predicted tier and CLV, and exports CLV columns', async () => {
    const byClv = await get('/v1/customers?sort=clv&limit=100').expect(200);
    const clvs = byClv.body.items.map((r: { clvMinor: number | null }) => r.clvMinor ?? -Infinity);
    expect(clvs).toEqual([...clvs].sort((x, y) => y - x));
    expect(byClv.body.items[0].predictedTier).toBe('A');
    const tierA = await get('/v1/customers?predictedTier=A&limit=100').expect(200);
    expect(tierA.body.total).toBeGreaterThan(0);
    for (const row of tierA.body.items) expect(row.predictedTier).toBe('A');
    const floor = byClv.body.items[5].clvMinor;
    const ranged = await get(`/v1/customers?clvFrom=${floor}&limit=100`).expect(200);
    expect(ranged.body.total).toBeGreaterThanOrEqual(6);
    await get('/v1/customers?clvFrom=cheap').expect(400);
    const csv = await get('/v1/customers?format=csv&sort=clv').expect(200);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['clvMinor', 'predictedTier', 'costToServeMinor', 'netValueMinor']),
    );
  });

  it('predicts a CLV for a customer who has never bought, and says what it rests on', async () => {
    for (const id of [costlyProspect, quietProspect]) {
      const { body } = await get(`/v1/customers/${id}`).expect(200);
      expect(body.insights.value).toMatchObject({ clvBasis: 'no-purchase-yet' });
      expect(body.insights.value.clvMinor).toBeGreaterThan(0);
      expect(body.insights.value.note).toMatch(
        /^no purchase yet: predicted as a customer without a repeat purchase in the \d+ days since first seen \(BG\/NBD x = 0\)/,
      );
    }
    const { body } = await get(`/v1/customers/${costlyProspect}`).expect(200);
    const value = body.insights.value;
    expect(value.costToServe.trailingMinor).toBe(30_000);
    expect(value.netValueMinor).toBe(value.clvMinor - value.costToServe.predictedMinor);
    expect(value.netValueMinor).toBeLessThan(0);
  });

  it('lists the customers who cost more than they bring, with the reasons and figures, as CSV too', async () => {
    const { body } = await get('/v1/deselection').expect(200);
    const listed = [...costly, costlyProspect].sort();
    expect(body.items.map((r: { customerId: string }) => r.customerId).sort()).toEqual(listed);
    expect(body.total).toBe(3);
    expect(body.horizonMonths).toBe(12);
    for (const item of body.items) {
      expect(item.netValueMinor).toBeLessThan(0);
      expect(item.reasons[0]).toMatch(/exceeds the CLV/);
      expect(item.reasons[item.reasons.length - 1]).toBe(
        'call minutes in the trailing window: 300 costing 30000 EUR minor units',
      );
    }
    const prospect = body.items.find(
      (r: { customerId: string }) => r.customerId === costlyProspect,
    );
    expect(prospect.clvBasis).toBe('no-purchase-yet');
    expect(prospect.reasons[1]).toMatch(
      /^no purchase yet: the CLV is what the model predicts for a customer without a repeat purchase since first seen on \d{4}-\d\d-\d\d/,
    );
    // The customers in USD cannot be assessed in EUR: the list says so rather than leave them out silently.
    expect(body.note).toMatch(/^4 customers have no EUR revenue .* \(USD 4\)/);
    expect(body.totalNetValueMinor).toBe(
      body.items.reduce((s: number, r: { netValueMinor: number }) => s + r.netValueMinor, 0),
    );
    const csv = await get('/v1/deselection?format=csv').expect(200);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.customerId).sort()).toEqual(listed);
    expect(rows[0]).toMatchObject({ currency: 'EUR', callCostMinor: '30000' });
  });

  it('puts tiers by predicted value beside tiers by revenue, and counts the customers in USD', async () => {
    const { body } = await get('/v1/tiers').expect(200);
    expect(body.byPredictedValue.customersWithRevenue).toBeGreaterThan(0);
    expect(body.currencies).toMatchObject({
      reportingCurrency: 'EUR',
      unrankedCustomers: 4,
      unrankedByCurrency: { USD: 4 },
    });
    expect(body.note).toMatch(/^4 customers have no EUR revenue .* \(USD 4\)/);
  });

  it('ranks by predicted value with ?by=predictedValue, customers who never bought included', async () => {
    const { body } = await get('/v1/tiers?by=predictedValue').expect(200);
    const byRevenue = await get('/v1/tiers').expect(200);
    expect(body.by).toBe('predictedValue');
    expect(byRevenue.body.by).toBe('revenue');
    expect(body.tiers).toEqual(byRevenue.body.byPredictedValue.tiers);
    const listed = await get('/v1/customers?sort=clv&limit=100').expect(200);
    const withClv = listed.body.items.filter((r: { clvMinor: number | null }) => r.clvMinor! > 0);
    // Everyone but the four customers in USD: the regulars, the costly two and both prospects.
    expect(body.customersWithRevenue).toBe(withClv.length);
    expect(withClv.length).toBe(regulars.length + costly.length + 2);
    expect(byRevenue.body.customersWithRevenue).toBe(regulars.length + costly.length);
    expect(body.note).toMatch(/^4 customers have no EUR revenue .* \(USD 4\)/);
    const atRisk = await get('/v1/at-risk?minBand=medium').expect(200);
    expect(atRisk.body.note).toMatch(/4 customers have no EUR revenue .* \(USD 4\)/);
    await get('/v1/tiers?by=margin').expect(400);
  });

  it('checks the fit on a holdout period and keeps the table for GET /v1/model', async () => {
    const holdoutFrom = at(60).slice(0, 10);
    const fit = await request(platform.url)
      .post(`/v1/model/fit?holdoutFrom=${holdoutFrom}`)
      .set(platform.auth('admin'))
      .expect(200);
    const table = fit.body.modelCheck.holdout.table;
    expect(fit.body.modelCheck.holdout.holdoutFrom).toBe(`${holdoutFrom}T00:00:00.000Z`);
    expect(table.rows.map((r: { calibrationRepeats: string }) => r.calibrationRepeats)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7+',
    ]);
    expect(table.total.actual).toBe(
      table.rows.reduce((s: number, r: { actual: number }) => s + r.actual, 0),
    );
    expect(table.total.actual).toBeGreaterThan(0);
    expect(table.total.predicted).toBeGreaterThan(0);
    const model = await get('/v1/model').expect(200);
    expect(model.body.modelCheck.holdout.table).toEqual(table);
    await request(platform.url)
      .post('/v1/model/fit?holdoutFrom=2026-02-30')
      .set(platform.auth('admin'))
      .expect(400);
  });
});

describe('when every customer pays in another currency than the reporting one', () => {
  let platform: RunningPlatform;
  let position: string;
  beforeAll(async () => {
    platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '0' });
    position = await record(
      platform.url,
      Array.from({ length: 5 }, (_, i) => purchases(`U-${i}`, 2, 30, 5_000, 'USD')).flat(),
    );
    await request(platform.url)
      .post('/v1/model/fit')
      .set(platform.auth('admin'))
      .set('X-Min-Position', position)
      .expect(200);
  });
  afterAll(() => platform?.destroy());

  it('says why tiers, lists and de-selection are empty instead of answering nothing', async () => {
    const get = (path: string) => request(platform.url).get(path).set(platform.auth('analyst'));
    const tiers = await get('/v1/tiers').expect(200);
    expect(tiers.body.customersWithRevenue).toBe(0);
    expect(tiers.body.note).toMatch(
      /no customer of 5 matches revenue in EUR; 5 customers have no EUR revenue/,
    );
    expect(tiers.body.note).toContain('(USD 5)');
    const tierA = await get('/v1/customers?tier=A').expect(200);
    expect(tierA.body.total).toBe(0);
    expect(tierA.body.note).toContain('5 customers have no EUR revenue');
    const deselection = await get('/v1/deselection').expect(200);
    expect(deselection.body.total).toBe(0);
    expect(deselection.body.note).toEqual(expect.any(String));
  });
});
