import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { customerStreamName, eventIdFor } from '@rapport/domain';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  eventStoreTargets,
  eventually,
  startPlatform,
  type RunningPlatform,
} from '@rapport/test-support';

const targets = eventStoreTargets();

/**
 * Issue 27: a purchase without an amount got into the store and stopped the read side for
 * good. Written here straight into the store (through the platform's own event store, past
 * the edge's validation), it must park only its customer, and be seen by an operator.
 */
describe.each(targets)('a poison event on %s', (store, env) => {
  if (!env) {
    it.skip('needs the event store', () => undefined);
    return;
  }
  jest.setTimeout(120_000);
  let platform: RunningPlatform;
  const run = Date.now().toString(36);
  const good = `C-good-${run}`;
  const bad = `C-bad-${run}`;
  const previousGrace = process.env.REBUILD_GRACE_MS;

  beforeAll(async () => {
    process.env.REBUILD_GRACE_MS = '200';
    platform = await startPlatform(env);
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
    occurredAt: `2026-11-0${n}T09:00:00Z`,
    channel: 'web',
    data: { url: `https://shop.example/${n}` },
  });
  const send = async (touchpoints: object[]): Promise<string> =>
    (
      await request(platform.url)
        .post('/v1/touchpoints')
        .set(platform.auth('ingest'))
        .send(touchpoints)
        .expect(202)
    ).headers['x-position'] as string;
  const get = (path: string) => request(platform.url).get(path).set(platform.auth('admin'));
  const purchaseData = {
    touchpointId: `pos-${bad}-1`,
    occurredAt: '2026-11-02T10:00:00.000Z',
    channel: 'store',
    orderId: `O-${run}`,
    amount: { minor: 4999, currency: 'EUR' },
  };

  /** The purchase as the incident stored it: everything but `data.amount`. */
  async function injectPoison(): Promise<bigint> {
    const eventStore = platform.app.get<EventStore>(EVENT_STORE);
    const { amount: _amount, ...data } = purchaseData;
    const result = await eventStore.append(
      customerStreamName(bad),
      [
        {
          id: eventIdFor('pos', purchaseData.touchpointId),
          type: 'PurchaseCompleted',
          data: { ...data, customerId: bad, items: [] },
          metadata: {
            schemaVersion: 1,
            source: 'pos',
            ingestedAt: '2026-11-02T10:00:01.000Z',
            correlationId: 'poison',
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    return result.position;
  }

  /** A later visit of the parked customer, written as the poison was (the edge refuses them). */
  async function injectLaterVisit(): Promise<bigint> {
    const eventStore = platform.app.get<EventStore>(EVENT_STORE);
    const { url, ...visitData } = { url: 'https://shop.example/3', touchpointId: `web-${bad}-3` };
    const result = await eventStore.append(
      customerStreamName(bad),
      [
        {
          id: eventIdFor('webshop', visitData.touchpointId),
          type: 'WebVisitRecorded',
          data: {
            ...visitData,
            customerId: bad,
            occurredAt: '2026-11-03T09:00:00.000Z',
            channel: 'web',
            url,
          },
          metadata: {
            schemaVersion: 1,
            source: 'webshop',
            ingestedAt: '2026-11-03T09:00:01.000Z',
            correlationId: 'later',
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    return result.position;
  }

  let poison: bigint;

  it('parks only that customer: later writes of everyone are read, the checkpoint moves on', async () => {
    await send([visit(good, 1), visit(bad, 1)]);
    poison = await injectPoison();
    // The write side cannot decide for a customer whose history it cannot read back: refused
    // with the reason, while the other customer of the batch is recorded.
    const written = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send([visit(bad, 3), visit(good, 3)])
      .expect(202);
    expect(written.body.items[0]).toMatchObject({
      status: 'rejected',
      code: 'CUSTOMER_HISTORY_UNREADABLE',
    });
    expect(written.body.items[1]).toMatchObject({ status: 'recorded' });
    const later = await injectLaterVisit();
    const last = (
      later > BigInt(written.body.position) ? later : BigInt(written.body.position)
    ).toString();

    const goodView = await get(`/v1/customers/${good}`).set('X-Min-Position', last).expect(200);
    expect(goodView.body.touchpointCount).toBe(2);
    const badView = await get(`/v1/customers/${bad}`).set('X-Min-Position', last).expect(200);
    expect(badView.body).toMatchObject({
      touchpointCount: 1,
      stale: {
        position: poison.toString(),
        eventType: 'PurchaseCompleted',
        error: expect.stringContaining("reading 'currency'"),
        eventsNotApplied: 1,
      },
      insights: null,
    });
  });

  it('lists it in the status, the metric and readiness (degraded, still 200)', async () => {
    // The EventStoreDB stand-in is shared by the whole run: other suites' poison events are in
    // it too, and this platform parks their customers as well. A fresh SQLite store has ours only.
    const parkedHere = (count: number) =>
      store.startsWith('SQLite') ? expect(count).toBe(1) : expect(count).toBeGreaterThanOrEqual(1);
    const status = await get('/v1/projections/status').expect(200);
    const { parked } = status.body.projections[0];
    expect(parked.customers).toContainEqual({
      customerId: bad,
      projection: 'customer-view',
      position: poison.toString(),
      eventType: 'PurchaseCompleted',
      error: expect.stringContaining("reading 'currency'"),
    });
    parkedHere(parked.count);
    const metrics = await get('/metrics').expect(200);
    const gauge = /^rapport_projector_parked_customers (\d+)$/m.exec(metrics.text);
    parkedHere(Number(gauge?.[1]));
    // Readiness also waits for the first insights snapshot, computed once the views caught up.
    const ready = await eventually(
      () => request(platform.url).get('/health/ready').expect(200),
      60_000,
      200,
    );
    expect(ready.body).toMatchObject({
      status: 'degraded',
      details: { projector: { status: 'up' } },
    });
    parkedHere(ready.body.details.projector.parkedCustomers);
  });

  it('leaves it out of the insights instead of failing them', async () => {
    // A refresh now, over the views as they are. The first refresh, started as soon as the
    // projector caught up with the empty store, may still be running (a refit joins it): again.
    await eventually(
      async () => {
        await request(platform.url).post('/v1/model/fit').set(platform.auth('admin')).expect(200);
        const status = await get('/v1/projections/status').expect(200);
        expect(status.body.insightsExcluded.customers).toContainEqual({
          customerId: bad,
          reason: expect.stringContaining(`at position ${poison}`),
        });
      },
      30_000,
      200,
    );
    await get('/v1/tiers').expect(200);
    const goodView = await get(`/v1/customers/${good}`).expect(200);
    expect(goodView.body.insights).toMatchObject({ valueTier: 'none' });
  });

  it('is still parked after a restart, and the views become ready', async () => {
    await platform.stop();
    platform = await startPlatform(env, platform.dataDir);
    const ready = await eventually(
      () => request(platform.url).get('/health/ready').expect(200),
      60_000,
      100,
    );
    expect(ready.body.status).toBe('degraded');
    const badView = await get(`/v1/customers/${bad}`).expect(200);
    expect(badView.body.stale).toMatchObject({ position: poison.toString() });
    await eventually(() => get('/v1/tiers').expect(200), 30_000, 100);
  });

  it('survives a dry-run rebuild, which finds the same views', async () => {
    const started = await request(platform.url)
      .post('/v1/projections/customer-view/rebuild')
      .query({ dryRun: 'true' })
      .set(platform.auth('admin'))
      .expect(202);
    const rebuild = await eventually(
      async () => {
        const status = await get('/v1/projections/status').expect(200);
        const found = status.body.rebuilds.find((r: { id: string }) => r.id === started.body.id);
        expect(found.finishedAt).toBeDefined();
        return found;
      },
      60_000,
      100,
    );
    expect(rebuild).toMatchObject({ state: 'done', comparison: { differing: 0 } });
  });

  const sqliteOnly = store.startsWith('SQLite') ? it : it.skip;
  sqliteOnly('is cleared by a rebuild once the event is mended', async () => {
    // The operator restores the event's data from the producer's record (a hand edit of the
    // file, as the one that broke it), then rebuilds.
    const db = new Database(join(platform.dataDir, 'events.db'));
    try {
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
        JSON.stringify({ ...purchaseData, customerId: bad, items: [] }),
        poison,
      );
    } finally {
      db.close();
    }
    // Every view that parked the customer is rebuilt: each keeps its own list.
    const before = await get('/v1/projections/status').expect(200);
    const parkedIn = (before.body.projections as { name: string; parked: { count: number } }[])
      .filter((projection) => projection.parked.count > 0)
      .map((projection) => projection.name);
    expect(parkedIn).toContain('customer-view');
    for (const name of parkedIn) {
      const started = await request(platform.url)
        .post(`/v1/projections/${name}/rebuild`)
        .set(platform.auth('admin'))
        .expect(202);
      await eventually(
        async () => {
          const status = await get('/v1/projections/status').expect(200);
          const found = status.body.rebuilds.find((r: { id: string }) => r.id === started.body.id);
          expect(found.state).toBe('done');
          const projection = status.body.projections.find((p: { name: string }) => p.name === name);
          expect(projection.parked).toEqual({ count: 0, customers: [] });
        },
        60_000,
        100,
      );
    }
    const badView = await get(`/v1/customers/${bad}`).expect(200);
    expect(badView.body.stale).toBeUndefined();
    expect(badView.body).toMatchObject({ touchpointCount: 3, grossRevenue: { EUR: 4999 } });
    const ready = await eventually(async () => {
      const answer = await request(platform.url).get('/health/ready').expect(200);
      expect(answer.body.status).toBe('ok');
      return answer;
    }, 10_000);
    expect(ready.body.details.projector.parkedCustomers).toBeUndefined();
  });
});
