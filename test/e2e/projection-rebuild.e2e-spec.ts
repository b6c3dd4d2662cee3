import request from 'supertest';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import {
  eventStoreTargets,
  eventually,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';

const targets = eventStoreTargets();

/**
 * POST /v1/projections/:name/rebuild on the all-in-one platform (embedded in-memory views)
 * while touchpoints keep arriving: a customer polled throughout is seen as the old view or
 * the new one, never anything else, and when it is over every view is what the events say.
 */
describe.each(targets)('rebuilding a view over HTTP on %s', (_store, env) => {
  if (!env) {
    it.skip('needs the event store', () => undefined);
    return;
  }
  let platform: RunningPlatform;
  let readStore: ReadStore;
  let generations: ViewGenerations;
  const previousGrace = process.env.REBUILD_GRACE_MS;

  beforeAll(async () => {
    process.env.REBUILD_GRACE_MS = '200';
    platform = await startPlatform(env);
    readStore = platform.app.get(READ_STORE);
    generations = platform.app.get(VIEW_GENERATIONS);
  });
  afterAll(async () => {
    await platform?.destroy();
    if (previousGrace === undefined) delete process.env.REBUILD_GRACE_MS;
    else process.env.REBUILD_GRACE_MS = previousGrace;
  });

  const visit = (customerId: string, n: number) => ({
    touchpointId: `web-${customerId}-${n}`,
    source: 'webshop',
    customerId,
    type: 'web_visit',
    occurredAt: `2026-11-01T09:${String(n % 60).padStart(2, '0')}:00Z`,
    channel: 'web',
    data: { url: `https://shop.example/${n}` },
  });
  const send = (touchpoints: object[]) =>
    request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(touchpoints)
      .expect(202);
  const view = (customerId: string, minPosition?: string) =>
    request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .query(minPosition ? { minPosition } : {})
      .set(platform.auth('analyst'))
      .expect(200);

  it('answers 404 for an unknown projection and needs the admin role', async () => {
    await request(platform.url)
      .post('/v1/projections/nope/rebuild')
      .set(platform.auth('admin'))
      .expect(404)
      .expect((r) => expect(r.body.code).toBe('UNKNOWN_PROJECTION'));
    await request(platform.url)
      .post('/v1/projections/customer-view/rebuild')
      .set(platform.auth('analyst'))
      .expect(403);
  });

  it('switches atomically while ingestion goes on, losing and doubling nothing', async () => {
    // 200 customers of 5 visits each, then one watched customer whose live view is corrupted
    // on purpose, so the old view and the rebuilt one can be told apart.
    for (let c = 0; c < 200; c += 50) {
      const batch = [];
      for (let i = c; i < c + 50; i++) for (let n = 1; n <= 5; n++) batch.push(visit(`C-${i}`, n));
      await send(batch);
    }
    const written = await send([1, 2, 3].map((n) => visit('C-watched', n)));
    const correct = (await view('C-watched', written.body.position)).body;
    expect(correct.touchpointCount).toBe(3);
    const activeBefore = await generations.activeCollection('customer-view');
    const record = await readStore.get<Record<string, unknown>>(activeBefore, 'C-watched');
    await readStore.putMany(activeBefore, [
      {
        key: 'C-watched',
        position: record!.position + 1n,
        value: { ...record!.value, touchpointCount: 99 },
      },
    ]);
    const customersBefore = await readStore.count(activeBefore);

    let ingesting = true;
    let sent = 0;
    const ingestion = (async () => {
      for (let n = 1; ingesting; n++) {
        await send([visit(`C-${n % 200}`, 100 + n), visit(`C-new-${n}`, 1)]);
        sent += 1;
      }
    })();
    const seen: number[] = [];
    const customerCounts: number[] = [];
    const polling = (async () => {
      while (ingesting) {
        seen.push((await view('C-watched')).body.touchpointCount);
        customerCounts.push(
          await readStore.count(await generations.activeCollection('customer-view')),
        );
      }
    })();

    const started = await request(platform.url)
      .post('/v1/projections/customer-view/rebuild')
      .set(platform.auth('admin'))
      .expect(202);
    expect(started.body).toMatchObject({ projection: 'customer-view', state: 'building' });
    await request(platform.url)
      .post('/v1/projections/customer-view/rebuild')
      .set(platform.auth('admin'))
      .expect(409);
    const finished = await eventually(async () => {
      const status = await request(platform.url)
        .get('/v1/projections/status')
        .set(platform.auth('analyst'))
        .expect(200);
      const rebuild = status.body.rebuilds.find((r: { id: string }) => r.id === started.body.id);
      expect(rebuild.state).toBe('done');
      return status.body;
      // The rebuild's worker thread compiles its sources first under Jest (ts-node): seconds.
    }, 90_000);
    // Keep ingesting and polling a little after the switch too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    ingesting = false;
    await Promise.all([ingestion, polling]);

    expect(sent).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([99, 3]));
    // Old view, then new, never back.
    expect(seen.slice(seen.indexOf(3))).not.toContain(99);
    expect(Math.min(...customerCounts)).toBeGreaterThanOrEqual(customersBefore);
    expect(finished.projections[0]).toMatchObject({ name: 'customer-view', generation: 1 });

    // Every event exactly once: each customer's count is what was sent.
    const last = await send([visit('C-final', 1)]);
    await view('C-final', last.body.position);
    for (let i = 0; i < 200; i++) {
      const { body } = await view(`C-${i}`);
      const extra = Math.floor(sent / 200) + (i === 0 ? 0 : sent % 200 >= i ? 1 : 0);
      expect(body.touchpointCount).toBe(5 + extra);
    }
    expect((await view('C-watched')).body.touchpointCount).toBe(3);
    for (let n = 1; n <= sent; n++) expect((await view(`C-new-${n}`)).body.touchpointCount).toBe(1);
    await eventually(async () => expect(await readStore.count('customer-view')).toBe(0));
  }, 150_000);
});
