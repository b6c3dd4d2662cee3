import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';
import { ensureDashboardBuilt } from '../support/dashboard-build';
import { loadDemoHistory } from '../support/demo-history';

jest.setTimeout(60_000);

interface AtRiskPage {
  total: number;
  items: Array<{ customerId: string; revenueMinor: number; riskScore: number; valueTier: string }>;
  next?: string;
}

describe('the dashboard beside the API', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    ensureDashboardBuilt();
    platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '0' });
    await loadDemoHistory(platform, { customers: 80, months: 12, seed: 5 });
  }, 300_000);
  afterAll(() => platform?.destroy());

  describe('when the browser asks for /', () => {
    it('gets the page without a key, under a CSP of self only with no inline script or style', async () => {
      const page = await request(platform.url).get('/').expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-cache');
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:/);
      const assets = [...page.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThanOrEqual(2);
      for (const asset of assets) {
        const file = await request(platform.url).get(asset).expect(200);
        expect(file.headers['cache-control']).toContain('immutable');
        expect(file.headers['content-security-policy']).toBe(csp);
      }
    });

    it('still needs a key for the API and for any path that is not a dashboard file', async () => {
      await request(platform.url).get('/v1/tiers').expect(401);
      await request(platform.url).get('/assets/../v1/tiers').expect(401);
      await request(platform.url).get('/not-a-dashboard-file.js').expect(401);
      await request(platform.url)
        .get('/not-a-dashboard-file.js')
        .set(platform.auth('analyst'))
        .expect(404);
    });
  });

  describe('when the at-risk list is sorted, as the dashboard sorts it', () => {
    const read = async (query: string) =>
      (
        await request(platform.url)
          .get(`/v1/at-risk?${query}`)
          .set(platform.auth('analyst'))
          .expect(200)
      ).body as AtRiskPage;

    it('pages through the whole filter in the asked order, the same customers as by value at risk', async () => {
      const seen: AtRiskPage['items'] = [];
      let cursor: string | undefined;
      do {
        const page = await read(
          `sort=revenue&order=asc&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        seen.push(...page.items);
        cursor = page.next;
      } while (cursor);
      const byValue = await read('limit=10000');
      expect(seen.length).toBe(byValue.total);
      expect(seen.map((i) => i.revenueMinor)).toEqual(
        [...seen.map((i) => i.revenueMinor)].sort((a, b) => a - b),
      );
      expect(new Set(seen.map((i) => i.customerId))).toEqual(
        new Set(byValue.items.map((i) => i.customerId)),
      );
    });

    it('sorts by risk score within a tier filter', async () => {
      const page = await read('sort=risk&order=desc&tier=A&limit=10000');
      expect(page.items.every((i) => i.valueTier === 'A')).toBe(true);
      const scores = page.items.map((i) => i.riskScore);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('refuses a sort it does not know, saying which', async () => {
      const { body } = await request(platform.url)
        .get('/v1/at-risk?sort=name')
        .set(platform.auth('analyst'))
        .expect(400);
      expect(JSON.stringify(body)).toContain('sort');
    });
  });
});
