import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { describeIfAvailable } from '../support/availability';
import { chromiumAvailability } from '../support/chromium';
import { ensureDashboardBuilt } from '../support/dashboard-build';
import { loadDemoHistory } from '../support/demo-history';
import { eventually, startPlatform, type RunningPlatform } from '../support/platform';
import { formatInstant, formatMoney } from '../../apps/dashboard/src/format';
import { signalRuleInWords } from '../../apps/dashboard/src/signals.query';
import {
  collectErrors,
  controlsKeyboardMisses,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
} from './dashboard-browser';

jest.setTimeout(120_000);

interface Signal {
  id: string;
  rule: string;
  subject: { kind: string; id: string };
  reason: string;
  valueAtStake: { minor: number; currency: string } | null;
  dueAt: string;
  expiresAt: string;
  status: string;
}
interface SignalsPage {
  items: Signal[];
  nextCursor?: string;
}

describeIfAvailable(
  'the signals page of the analyst dashboard in a headless Chromium',
  chromiumAvailability(),
  (executablePath) => {
    let platform: RunningPlatform;
    let browser: Browser;
    let page: Page;
    let errors: string[];

    const api = async <T>(path: string, on = platform): Promise<T> => {
      const response = await fetch(`${on.url}${path}`, { headers: on.auth('analyst') });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return (await response.json()) as T;
    };
    const allSignals = async (): Promise<Signal[]> => {
      const all: Signal[] = [];
      let cursor: string | undefined;
      do {
        const page = await api<SignalsPage>(
          `/v1/signals?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
        );
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    };
    const rowIds = () =>
      page
        .locator('[data-testid="signals-table"] tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-signal')));
    /** A fresh page: a goto that changes only the fragment would keep the last test's filter. */
    const openSignals = async (ready = '[data-testid="signals-table"]') => {
      await page.goto(`${platform.url}/#/signals`);
      await page.reload();
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
    };
    const openWithKey = async (on: RunningPlatform, hash: string) => {
      await page.goto(`${on.url}/${hash}`);
      await page.getByLabel('API key (analyst or admin)').fill(on.keys.analyst);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
    };

    beforeAll(async () => {
      ensureDashboardBuilt();
      // The sweep derives the rules that fire because time passes (freezing point, open
      // complaints); at its default of a minute the test would see only the event-driven ones.
      // The demo history arrives in bulk, so its watermark runs ahead: only the signals still
      // unexpired at the end would be taken (about 30 of 300 customers). A long thank-you expiry
      // takes its older ones too, enough for several pages.
      platform = await startPlatform({
        INSIGHTS_REFRESH_SECONDS: '0',
        SIGNALS_SWEEP_SECONDS: '1',
        SIGNALS_THANK_YOU_EXPIRES_DAYS: '3650',
      });
      await loadDemoHistory(platform, { customers: 300, months: 24, seed: 3 });
      // Enough signals for a second page, from more than one rule.
      await eventually(
        async () => {
          const all = await allSignals();
          expect(all.length).toBeGreaterThan(100);
          expect(new Set(all.map((s) => s.rule)).size).toBeGreaterThan(1);
        },
        120_000,
        500,
      );
      browser = await launchChromium(executablePath);
      page = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
      ).newPage();
      errors = collectErrors(page);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await platform?.destroy();
    });

    it("shows the API's first page of signals: customer, rule, reason, value at stake, due, expiry and status", async () => {
      await openWithKey(platform, '#/signals');
      await page.locator('[data-testid="signals-table"]').waitFor({ timeout: 30_000 });
      const first = await api<SignalsPage>('/v1/signals?limit=50');
      expect(first.items).toHaveLength(50);
      expect(await rowIds()).toEqual(first.items.map((s) => s.id));
      for (const signal of first.items.slice(0, 10)) {
        const row = page.locator(`tr[data-signal="${signal.id}"]`);
        expect((await row.locator('th').innerText()).trim()).toBe(signal.subject.id);
        expect(await row.locator('[data-field="rule"]').innerText()).toBe(
          signalRuleInWords(signal.rule),
        );
        expect(await row.locator('[data-field="reason"]').innerText()).toBe(signal.reason);
        expect(await row.locator('[data-field="valueAtStake"]').innerText()).toBe(
          signal.valueAtStake
            ? formatMoney(signal.valueAtStake.minor, signal.valueAtStake.currency)
            : '—',
        );
        expect(await row.locator('[data-field="due"]').innerText()).toBe(
          formatInstant(signal.dueAt),
        );
        expect(await row.locator('[data-field="expires"]').innerText()).toBe(
          formatInstant(signal.expiresAt),
        );
        expect(await row.locator('[data-field="status"]').innerText()).toBe(signal.status);
      }
      await screenshot(page, 'signals');
    });

    it('pages with the API cursor, forward and back', async () => {
      await openSignals();
      const first = await api<SignalsPage>('/v1/signals?limit=50');
      const second = await api<SignalsPage>(`/v1/signals?limit=50&cursor=${first.nextCursor}`);
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.locator(`tr[data-signal="${second.items[0].id}"]`).waitFor();
      expect(await rowIds()).toEqual(second.items.map((s) => s.id));
      expect(await page.locator('[data-testid="page-number"]').innerText()).toBe('Page 2');
      await page.getByRole('button', { name: 'Previous page' }).click();
      await page.locator(`tr[data-signal="${first.items[0].id}"]`).waitFor();
      expect(await rowIds()).toEqual(first.items.map((s) => s.id));
      expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
    });

    it('filters by rule and by customer as the API does, and downloads the CSV of the filter', async () => {
      await openSignals();
      const all = await allSignals();
      // The rule of the last signal in the ledger: its page differs from the unfiltered one.
      const rule = all[all.length - 1].rule;
      const byRule = await api<SignalsPage>(`/v1/signals?rule=${rule}&limit=50`);
      await page.getByLabel('Rule').selectOption(rule);
      await page.locator(`tr[data-signal="${byRule.items[0].id}"]`).waitFor();
      await eventually(async () => expect(await rowIds()).toEqual(byRule.items.map((s) => s.id)));
      expect(
        await page.locator('[data-testid="signals-table"] [data-field="rule"]').allInnerTexts(),
      ).toEqual(byRule.items.map(() => signalRuleInWords(rule)));

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV of this filter' }).click(),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8');
      const expected = await (
        await fetch(`${platform.url}/v1/signals?rule=${rule}&format=csv`, {
          headers: platform.auth('analyst'),
        })
      ).text();
      expect(csv).toBe(expected);
      expect(csv.split('\r\n').filter(Boolean).length).toBe(
        all.filter((s) => s.rule === rule).length + 1,
      );

      await page.getByLabel('Rule').selectOption('');
      const customer = all[0].subject.id;
      const byCustomer = await api<SignalsPage>(`/v1/signals?customer=${customer}&limit=50`);
      await page.getByLabel('Customer').fill(customer);
      await page.getByRole('button', { name: 'Apply' }).click();
      await eventually(async () =>
        expect(await rowIds()).toEqual(byCustomer.items.map((s) => s.id)),
      );

      await page.getByLabel('Customer').fill('C-NOBODY');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('No signal matches this filter.').waitFor();
    });

    it("links a signal's customer to the customer page", async () => {
      await openSignals();
      const first = await api<SignalsPage>('/v1/signals?limit=1');
      const customer = first.items[0].subject.id;
      await page.locator(`tr[data-signal="${first.items[0].id}"] th a`).click();
      await page.locator('[data-testid="profile-id"]').waitFor({ timeout: 30_000 });
      expect((await page.locator('[data-testid="profile-id"]').innerText()).trim()).toBe(customer);
      expect(page.url()).toContain(`#/customer/${customer}`);
    });

    it('lets the keyboard reach every control, and axe finds nothing serious', async () => {
      await openSignals();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(await controlsKeyboardMisses(page)).toEqual([]);
    });

    it('says "views are catching up" on a 503 instead of an empty list', async () => {
      await page.route('**/v1/signals?*', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ status: 503, title: 'Service Unavailable' }),
        }),
      );
      try {
        await openSignals('.status.warming');
        expect(await page.locator('.status.warming').innerText()).toContain(
          'views are catching up',
        );
      } finally {
        await page.unroute('**/v1/signals?*');
      }
      errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('503')));
    });

    it('says that signals are derived as events arrive when there are none yet', async () => {
      const empty = await startPlatform();
      try {
        expect((await api<SignalsPage>('/v1/signals', empty)).items).toEqual([]);
        await openWithKey(empty, '#/signals');
        await page
          .getByText('No signals yet: they are derived as events arrive.')
          .waitFor({ timeout: 30_000 });
        expect(await page.locator('[data-testid="signals-table"]').count()).toBe(0);
        await screenshot(page, 'signals-empty');
      } finally {
        await empty.destroy();
      }
    });

    it('wrote no error to the console and threw nothing', () => {
      expect(errors).toEqual([]);
    });
  },
);
