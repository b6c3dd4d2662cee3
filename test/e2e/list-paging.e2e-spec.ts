import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

/**
 * Paging a list while writes continue: each page comes from the snapshot the first page did,
 * even when purchases reorder the customers and a refresh replaces the snapshot between pages.
 */
const DAY = 86_400_000;
const NOW = Date.now();

function purchase(customerId: string, n: number, minor: number, daysAgo: number) {
  return {
    touchpointId: `${customerId}-p${n}`,
    source: 'pos',
    customerId,
    type: 'purchase',
    occurredAt: new Date(NOW - daysAgo * DAY).toISOString(),
    channel: 'store',
    data: { orderId: `${customerId}-O${n}`, amount: { minor, currency: 'EUR' } },
  };
}

interface Page {
  snapshotVersion: number;
  total: number;
  items: Array<{ customerId: string; revenueMinor: number }>;
  next?: string;
}

describe('list paging while writes continue', () => {
  let platform: RunningPlatform;
  const customers = Array.from({ length: 12 }, (_, i) => `P-${String(i).padStart(2, '0')}`);

  const record = async (touchpoints: object[]): Promise<string> => {
    const { body } = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(touchpoints)
      .expect(202);
    return body.position as string;
  };
  const seen = (customerId: string, position: string) =>
    request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', position)
      .expect(200);
  const refit = async (): Promise<void> => {
    await request(platform.url).post('/v1/model/fit').set(platform.auth('admin')).expect(200);
  };
  const list = async (query: Record<string, string | number>): Promise<Page> =>
    (
      await request(platform.url)
        .get('/v1/customers')
        .set(platform.auth('analyst'))
        .query({ sort: 'revenue', ...query })
        .expect(200)
    ).body as Page;

  beforeAll(async () => {
    platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '0' });
    // Revenue 1,000 to 12,000: P-11 first, P-00 last.
    const position = await record(
      customers.flatMap((id, i) => [
        purchase(id, 0, 500 * (i + 1), 40),
        purchase(id, 1, 500 * (i + 1), 10),
      ]),
    );
    await seen(customers[0], position);
    await refit();
  }, 60_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  it('pages one snapshot to its end while purchases reorder it and refreshes replace it', async () => {
    const before = await list({ limit: 100 });
    expect(before.items.map((r) => r.customerId)).toEqual([...customers].reverse());

    const pages: Page[] = [await list({ limit: 5 })];
    // Between pages: the last customer becomes the first, a new one arrives, and a refresh
    // replaces the snapshot the listing started on.
    const position = await record([
      purchase('P-00', 2, 1_000_000, 1),
      purchase('P-NEW', 0, 500_000, 1),
    ]);
    await seen('P-00', position);
    await seen('P-NEW', position);
    await refit();
    while (pages.at(-1)!.next) pages.push(await list({ limit: 5, cursor: pages.at(-1)!.next! }));

    expect(pages.map((p) => p.snapshotVersion)).toEqual(pages.map(() => before.snapshotVersion));
    expect(pages.flatMap((p) => p.items)).toEqual(before.items);

    const after = await list({ limit: 2 });
    expect(after.snapshotVersion).toBeGreaterThan(before.snapshotVersion);
    expect(after.items.map((r) => r.customerId)).toEqual(['P-00', 'P-NEW']);
    expect(after.total).toBe(13);
  });

  it('answers 410 problem details once the cursor snapshot is no longer kept', async () => {
    const first = await list({ limit: 5 });
    // Four refreshes, each listed from: more replaced snapshots than are kept.
    for (let i = 0; i < 4; i++) {
      await refit();
      await list({ limit: 1 });
    }
    const { body, headers } = await request(platform.url)
      .get('/v1/customers')
      .set(platform.auth('analyst'))
      .query({ sort: 'revenue', limit: 5, cursor: first.next! })
      .expect(410);
    expect(headers['content-type']).toMatch(/application\/problem\+json/);
    expect(body).toMatchObject({ status: 410, code: 'CURSOR_EXPIRED' });
    expect(body.detail).toContain(String(first.snapshotVersion));
  });
});
