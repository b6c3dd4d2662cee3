import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeIfAvailable } from '../support/availability';
import { chromiumAvailability } from '../support/chromium';
import { ensureDashboardBuilt } from '../support/dashboard-build';
import { loadDemoHistory } from '../support/demo-history';
import { startPlatform, type RunningPlatform } from '../support/platform';
import {
  formatCount,
  formatMoney,
  formatShare,
  reasonInWords,
} from '../../apps/dashboard/src/format';
import {
  collectErrors,
  controlsKeyboardMisses,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
} from './dashboard-browser';

jest.setTimeout(120_000);

const CUSTOMERS = 300;

describeIfAvailable(
  'the analyst dashboard in a headless Chromium',
  chromiumAvailability(),
  (executablePath) => {
    let platform: RunningPlatform;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${platform.url}${path}`, { headers: platform.auth('analyst') });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return (await response.json()) as T;
    };
    const text = async (selector: string) =>
      (await page.locator(selector).first().innerText()).trim();
    const goTo = async (hash: string, ready: string) => {
      await page.goto(`${platform.url}/${hash}`);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
    };

    beforeAll(async () => {
      ensureDashboardBuilt();
      platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '0' });
      await loadDemoHistory(platform, { customers: CUSTOMERS, months: 24, seed: 3 });
      browser = await launchChromium(executablePath);
      context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      page = await context.newPage();
      errors = collectErrors(page);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await platform?.destroy();
    });

    describe('when the page is served', () => {
      it('answers / with a strict CSP (self only, no inline script or style) and keeps the API behind its key', async () => {
        const response = await fetch(`${platform.url}/`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/html');
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("style-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('https:');
        const html = await response.text();
        expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
        expect(html).not.toMatch(/https?:\/\//);
        const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
        expect(asset).toBeDefined();
        const script = await fetch(`${platform.url}${asset}`);
        expect(script.status).toBe(200);
        expect(script.headers.get('cache-control')).toContain('immutable');
        expect((await fetch(`${platform.url}/v1/tiers`)).status).toBe(401);
        expect((await fetch(`${platform.url}/no-such-page`)).status).toBe(401);
      });
    });

    describe('when an analyst opens it', () => {
      it('asks for the key once, keeps it in sessionStorage and never puts it in the URL', async () => {
        await page.goto(`${platform.url}/`);
        await page.getByLabel('API key (analyst or admin)').fill(platform.keys.analyst);
        await page.getByRole('button', { name: 'Open the dashboard' }).click();
        await page.locator('[data-testid="tier-table"]').waitFor({ timeout: 30_000 });
        expect(page.url()).not.toContain(platform.keys.analyst);
        expect(await page.evaluate(() => sessionStorage.getItem('rapport.apiKey'))).toBe(
          platform.keys.analyst,
        );
        await page.reload();
        await page.locator('[data-testid="tier-table"]').waitFor({ timeout: 30_000 });
        expect(await page.getByLabel('API key (analyst or admin)').count()).toBe(0);
      });

      it('shows on the overview the numbers the API gives: customers, revenue, tiers, Gini, segments, cohorts', async () => {
        await goTo('#/overview', '[data-testid="cohorts"]');
        const tiers = await api<{
          customers: number;
          totalRevenueMinor: number;
          currency: string;
          gini: number;
          tiers: Record<string, { count: number; revenueMinor: number; revenueShare: number }>;
        }>('/v1/tiers');
        expect(tiers.customers).toBe(CUSTOMERS);
        expect(await text('[data-testid="customers"]')).toBe(formatCount(tiers.customers));
        expect(await text('[data-testid="revenue"]')).toBe(
          formatMoney(tiers.totalRevenueMinor, tiers.currency),
        );
        for (const tier of ['A', 'B', 'C', 'none']) {
          const row = `[data-testid="tier-table"] tr[data-tier="${tier}"]`;
          expect(await text(`${row} [data-field="count"]`)).toBe(
            formatCount(tiers.tiers[tier].count),
          );
          expect(await text(`${row} [data-field="revenue"]`)).toBe(
            formatMoney(tiers.tiers[tier].revenueMinor, tiers.currency),
          );
          expect(await text(`${row} [data-field="share"]`)).toBe(
            formatShare(tiers.tiers[tier].revenueShare),
          );
        }
        expect(await text('[data-testid="gini"]')).toBe(tiers.gini.toFixed(3));
        expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);

        const segments = await api<{ segments: Record<string, { count: number }> }>('/v1/segments');
        for (const [name, figures] of Object.entries(segments.segments))
          expect(await text(`tr[data-segment="${name}"] [data-field="count"]`)).toBe(
            formatCount(figures.count),
          );

        const retention = await api<{
          repeatPurchaseRate: number;
          cohorts: { cohorts: unknown[] };
        }>('/v1/retention');
        expect(await page.locator('[data-testid="cohorts"] tbody tr').count()).toBe(
          retention.cohorts.cohorts.length,
        );
        expect(await text('[data-testid="repeat-rate"]')).toBe(
          formatShare(retention.repeatPurchaseRate),
        );
        const marks = await page.evaluate(() =>
          performance.getEntriesByName('rapport:overview-interactive').map((m) => m.startTime),
        );
        expect(marks.length).toBeGreaterThan(0);
        await screenshot(page, 'overview');
      });

      it('lists the customers at risk as the API does, with reasons in words, filters, sorting and paging', async () => {
        await goTo('#/at-risk', '[data-testid="at-risk-table"]');
        type Page = {
          total: number;
          totalValueAtRiskMinor: number;
          currency: string;
          nextCursor?: string;
          items: Array<{
            customerId: string;
            valueAtRiskMinor: number;
            reasons: Array<{ code: string }>;
          }>;
        };
        const first = await api<Page>(
          '/v1/at-risk?minBand=medium&sort=valueAtRisk&order=desc&limit=50',
        );
        expect(first.total).toBeGreaterThan(50);
        expect(await page.locator('[data-testid="at-risk-total"]').getAttribute('data-value')).toBe(
          String(first.total),
        );
        expect(await text('[data-testid="at-risk-value"]')).toBe(
          formatMoney(first.totalValueAtRiskMinor, first.currency),
        );
        const ids = () =>
          page
            .locator('[data-testid="at-risk-table"] tbody tr')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-customer')));
        expect(await ids()).toEqual(first.items.map((item) => item.customerId));
        const top = first.items[0];
        const topRow = page.locator(`tr[data-customer="${top.customerId}"]`);
        expect(await topRow.locator('[data-field="valueAtRisk"]').innerText()).toBe(
          formatMoney(top.valueAtRiskMinor, first.currency),
        );
        for (const reason of top.reasons)
          expect(await topRow.locator('.reasons').innerText()).toContain(
            reasonInWords(reason.code),
          );
        await screenshot(page, 'at-risk');

        // Paging: the second page is the API's second page, and back again.
        await page.getByRole('button', { name: 'Next page' }).click();
        const second = await api<Page>(
          `/v1/at-risk?minBand=medium&sort=valueAtRisk&order=desc&limit=50&cursor=${encodeURIComponent(first.nextCursor!)}`,
        );
        await page.locator(`tr[data-customer="${second.items[0].customerId}"]`).waitFor();
        expect(await ids()).toEqual(second.items.map((item) => item.customerId));
        expect(await text('[data-testid="page-number"]')).toBe(
          `Page 2 of ${Math.ceil(first.total / 50)}`,
        );
        await page.getByRole('button', { name: 'Previous page' }).click();
        await page.locator(`tr[data-customer="${top.customerId}"]`).waitFor();

        // Filters: tier A, high risk only.
        await page.getByLabel('Tier').selectOption('A');
        await page.getByLabel('Risk band').selectOption('high');
        const filtered = await api<Page>(
          '/v1/at-risk?minBand=high&tier=A&sort=valueAtRisk&order=desc&limit=50',
        );
        await page
          .locator(`[data-testid="at-risk-total"][data-value="${filtered.total}"]`)
          .waitFor({ timeout: 10_000 });
        expect(filtered.total).toBeLessThan(first.total);
        if (filtered.items.length)
          expect(await ids()).toEqual(filtered.items.map((i) => i.customerId));

        // Sorting by revenue, most first, through the API.
        await page.getByLabel('Risk band').selectOption('medium');
        await page.getByRole('button', { name: /^revenue/ }).click();
        const byRevenue = await api<Page>(
          '/v1/at-risk?minBand=medium&tier=A&sort=revenue&order=desc&limit=50',
        );
        await page.locator('th[aria-sort="descending"]', { hasText: 'revenue' }).waitFor();
        await page
          .locator(`tr[data-customer="${byRevenue.items[0].customerId}"]`)
          .first()
          .waitFor();
        expect(await ids()).toEqual(byRevenue.items.map((i) => i.customerId));

        // The CSV of the current filter is the API's CSV of it.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Download CSV of this filter' }).click(),
        ]);
        const csv = readFileSync((await download.path())!, 'utf8');
        const expected = await (
          await fetch(
            `${platform.url}/v1/at-risk?minBand=medium&tier=A&sort=revenue&order=desc&format=csv`,
            {
              headers: platform.auth('analyst'),
            },
          )
        ).text();
        expect(csv).toBe(expected);
        expect(csv.split('\r\n').filter(Boolean).length).toBe(byRevenue.total + 1);
      });

      it("tells one customer's story: profile, tier, segment, risk with reasons, totals and the timeline", async () => {
        const atRisk = await api<{ items: Array<{ customerId: string }> }>('/v1/at-risk?limit=1');
        const id = atRisk.items[0].customerId;
        await goTo('#/customer', 'input[name="customerId"]');
        await page.getByLabel('Customer id').fill(id);
        await page.getByRole('button', { name: 'Show' }).click();
        await page.locator('[data-testid="timeline"]').waitFor({ timeout: 30_000 });
        const view = await api<{
          touchpointCount: number;
          orderCount: number;
          netRevenue: Record<string, number>;
          insights: {
            valueTier: string | null;
            trailingRevenue: { minor: number; currency: string };
            churn: {
              score: number;
              band: string;
              reasons: Array<{ code: string; explanation: string }>;
            };
          };
        }>(`/v1/customers/${id}`);
        expect(await text('[data-testid="profile-id"]')).toBe(id);
        expect(await text('[data-testid="profile-tier"]')).toBe(
          view.insights.valueTier ?? 'none (no revenue)',
        );
        expect(await text('[data-testid="profile-risk"]')).toBe(
          `${view.insights.churn.score} (${view.insights.churn.band})`,
        );
        expect(await text('[data-testid="profile-trailing"]')).toBe(
          formatMoney(view.insights.trailingRevenue.minor, view.insights.trailingRevenue.currency),
        );
        expect(await text('[data-testid="profile-touchpoints"]')).toBe(
          formatCount(view.touchpointCount),
        );
        const reasons = await text('[data-testid="profile-reasons"]');
        for (const reason of view.insights.churn.reasons)
          expect(reasons).toContain(reason.explanation);
        const timeline = await api<{ items: Array<{ channel: string }> }>(
          `/v1/customers/${id}/timeline?limit=50`,
        );
        expect(await page.locator('[data-testid="timeline"] li').count()).toBe(
          timeline.items.length,
        );
        expect(new Set(timeline.items.map((i) => i.channel)).size).toBeGreaterThan(1);
        expect(page.url()).toContain(`#/customer/${id}`);
        await screenshot(page, 'customer');
      });

      it('says who is unknown instead of showing an empty profile', async () => {
        await goTo('#/customer/C-NOBODY', '[role="alert"]');
        expect(await text('[role="alert"]')).toContain('Not found');
        const notFound = errors.filter((e) => e.includes('404'));
        expect(notFound.length).toBeGreaterThan(0);
        errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('404')));
      });

      it('shows the projections with their lag and parked customers, and no rebuild button to an analyst, saying why', async () => {
        await goTo('#/projections', '[data-testid="projection-table"]');
        const status = await api<{
          head: string;
          projections: Array<{ name: string; lag: string; parked: { count: number } }>;
        }>('/v1/projections/status');
        expect(await text('[data-testid="head"]')).toBe(status.head);
        for (const projection of status.projections) {
          const row = `tr[data-projection="${projection.name}"]`;
          expect(await text(`${row} [data-field="lag"]`)).toBe(projection.lag);
          expect(await text(`${row} [data-field="parked"]`)).toBe(String(projection.parked.count));
        }
        // GET /v1/me says the key is an analyst's: no rebuild button, and why not.
        await page.locator('[data-testid="rebuild-needs-admin"]').waitFor();
        expect(await text('[data-testid="rebuild-needs-admin"]')).toBe(
          'Rebuilding a view needs an admin API key; this key is an analyst key.',
        );
        expect(await page.getByRole('button', { name: /^Rebuild / }).count()).toBe(0);
        await screenshot(page, 'projections');
      });

      it('says "views are catching up" on a 503 while views warm up, not a blank chart', async () => {
        await page.route('**/v1/tiers', (route) =>
          route.fulfill({
            status: 503,
            contentType: 'application/problem+json',
            headers: { 'Retry-After': '1' },
            body: JSON.stringify({
              status: 503,
              title: 'Service Unavailable',
              code: 'INSIGHTS_BEHIND',
            }),
          }),
        );
        await goTo('#/overview', '.status.warming');
        expect(await text('.status.warming')).toContain('views are catching up');
        await page.unroute('**/v1/tiers');
        errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('503')));
      });

      it('lets the keyboard reach every control on every page, and axe finds nothing serious', async () => {
        const pages: Array<[string, string]> = [
          ['#/overview', '[data-testid="cohorts"]'],
          ['#/at-risk', '[data-testid="at-risk-table"]'],
          ['#/customer/C-000001', '[data-testid="timeline"]'],
          ['#/projections', '[data-testid="projection-table"]'],
        ];
        for (const [hash, ready] of pages) {
          await goTo(hash, ready);
          expect({ hash, violations: await seriousAccessibilityViolations(page) }).toEqual({
            hash,
            violations: [],
          });
          expect({ hash, missed: await controlsKeyboardMisses(page) }).toEqual({
            hash,
            missed: [],
          });
        }
      });

      it('shows an admin a rebuild button for every view, and starts a blue/green rebuild', async () => {
        await page.getByRole('button', { name: 'Forget the API key' }).click();
        await page.getByLabel('API key (analyst or admin)').fill(platform.keys.admin);
        await page.getByRole('button', { name: 'Open the dashboard' }).click();
        await goTo('#/projections', '[data-testid="projection-table"]');
        const rows = await page.locator('[data-testid="projection-table"] tbody tr').count();
        await page.getByRole('button', { name: 'Rebuild customer-view' }).waitFor();
        expect(await page.getByRole('button', { name: /^Rebuild / }).count()).toBe(rows);
        expect(await page.locator('[data-testid="rebuild-needs-admin"]').count()).toBe(0);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(await controlsKeyboardMisses(page)).toEqual([]);
        await screenshot(page, 'projections-admin');
        await page.getByRole('button', { name: 'Rebuild customer-view' }).click();
        await page
          .locator('[data-testid="rebuild-outcome"]', {
            hasText: 'Rebuild of customer-view started',
          })
          .waitFor({ timeout: 30_000 });
      });

      it('wrote no error to the console and threw nothing', () => {
        expect(errors).toEqual([]);
      });
    });
  },
);
