import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';
import { loadDemoHistory } from '../support/demo-history';

/**
 * Every list names its next page's cursor `nextCursor`. The customers, at-risk and de-selection
 * lists answered `next` before that, and still do, as a deprecated alias with the same cursor,
 * so a client written against them keeps paging.
 */
interface ListPage {
  total: number;
  items: Array<{ customerId: string }>;
  nextCursor?: string;
  next?: string;
}

type Schemas = Record<string, { properties: Record<string, { deprecated?: boolean }> }>;

jest.setTimeout(120_000);

describe('the next page cursor of every list', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    // Costs make some demo customers cost more than they bring: the de-selection list has rows.
    platform = await startPlatform({
      INSIGHTS_REFRESH_SECONDS: '0',
      COST_PER_CALL_MINUTE: '100',
      COST_PER_COMPLAINT: '5000',
    });
    await loadDemoHistory(platform, { customers: 150, months: 24, seed: 3 });
  }, 300_000);
  afterAll(() => platform?.destroy());

  const get = async (path: string): Promise<ListPage> =>
    (await request(platform.url).get(path).set(platform.auth('analyst')).expect(200))
      .body as ListPage;

  /** Pages `path` to its end following `field`; each page's cursors as it answered them. */
  const pageThrough = async (path: string, field: 'nextCursor' | 'next') => {
    const pages: ListPage[] = [await get(path)];
    for (let cursor = pages[0][field]; cursor; cursor = pages.at(-1)![field])
      pages.push(await get(`${path}&cursor=${encodeURIComponent(cursor)}`));
    return pages;
  };

  it.each([['/v1/customers?sort=revenue'], ['/v1/at-risk?minBand=medium'], ['/v1/deselection?']])(
    '%s answers nextCursor, and next as the same cursor, to the last page',
    async (list) => {
      const whole = await get(`${list}&limit=10000`);
      expect(whole.total).toBeGreaterThan(1);
      // Three pages or so, whatever the demo history gave.
      const path = `${list}&limit=${Math.ceil(whole.total / 3)}`;
      const pages = await pageThrough(path, 'nextCursor');
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages.slice(0, -1)) {
        expect(page.nextCursor).toEqual(expect.any(String));
        expect(page.next).toBe(page.nextCursor);
      }
      expect(pages.at(-1)).not.toHaveProperty('nextCursor');
      expect(pages.at(-1)).not.toHaveProperty('next');
      expect(pages.flatMap((p) => p.items)).toEqual(whole.items);
      // A client that still follows `next` reads the same rows.
      const old = await pageThrough(path, 'next');
      expect(old.flatMap((p) => p.items)).toEqual(whole.items);
    },
  );

  it('documents nextCursor on every list and next as deprecated on the three that had it', async () => {
    const { body } = await request(platform.url).get('/docs/json').expect(200);
    const schemas = (body as { components: { schemas: Schemas } }).components.schemas;
    for (const name of ['CustomersPageDto', 'AtRiskPageDto', 'DeselectionPageDto']) {
      expect(schemas[name].properties.nextCursor).toBeDefined();
      expect(schemas[name].properties.nextCursor.deprecated).toBeUndefined();
      expect(schemas[name].properties.next).toMatchObject({ deprecated: true });
    }
    for (const name of ['SignalsResponseDto', 'CustomerTimelineResponseDto']) {
      expect(schemas[name].properties.nextCursor).toBeDefined();
      expect(schemas[name].properties.next).toBeUndefined();
    }
  });
});
