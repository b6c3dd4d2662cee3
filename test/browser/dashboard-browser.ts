import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** Chromium headless, as root in a container too (no user namespace sandbox there). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** Console errors and uncaught exceptions of a page, kept for the test to assert on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: readonly string[] }>;
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script goes in
 * through the DevTools protocol (page.evaluate), which the page's CSP does not govern: the CSP
 * itself stays on, so a violation of it still shows as a console error.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
}

/**
 * Tabs through the page from its top and answers which enabled controls (links, buttons,
 * fields, scrollable regions) were never focused. Empty: the keyboard reaches every one.
 */
export async function controlsKeyboardMisses(page: Page, maxTabs = 400): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.body.setAttribute('tabindex', '-1');
    document.body.focus();
    document.body.removeAttribute('tabindex');
    const marks = new Set<Element>();
    (globalThis as unknown as { __focused: Set<Element> }).__focused = marks;
    document.addEventListener('focusin', (event) => marks.add(event.target as Element));
  });
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const wrapped = await page.evaluate(
      () => document.activeElement === document.body || document.activeElement === null,
    );
    if (wrapped && i > 0) break;
  }
  return page.evaluate(() => {
    const focused = (globalThis as unknown as { __focused: Set<Element> }).__focused;
    const controls = Array.from(
      document.querySelectorAll<HTMLElement>(
        'a[href], button:not([disabled]), select:not([disabled]), input:not([disabled]), [tabindex="0"]',
      ),
    ).filter((element) => element.offsetParent !== null || element.getClientRects().length > 0);
    return controls
      .filter((control) => !focused.has(control))
      .map(
        (control) =>
          `${control.tagName.toLowerCase()} "${(control.textContent ?? '').trim().slice(0, 40)}"`,
      );
  });
}
