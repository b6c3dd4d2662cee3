import { Logger } from '@nestjs/common';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import {
  customerViewProjection,
  foldProjection,
  markedStale,
  staleMarkOf,
  type CustomerView,
} from '@rapport/projections';
import { MemoryReadStore, type StoredRecord } from '@rapport/read-store';
import { InsightsEngine } from '../insights.engine';
import type { InsightsSnapshot } from '../insights-snapshot';
import type { DatedView } from '../population';
import type { ViewsAsOf } from '../views-as-of';
import { DatedViews } from './dated-views';

const settings = {
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 3,
} as const;
const VIEWS = customerViewProjection.name;
const CUSTOMERS = 30;

function viewOf(customerId: string, ...amounts: number[]): CustomerView {
  return foldProjection(
    customerViewProjection,
    customerId,
    historyOf(
      ...amounts.map((minor, i) =>
        aTouchpoint(
          'purchase',
          { orderId: `O-${customerId}-${i}`, amount: { minor, currency: 'EUR' } },
          { customerId, occurredAt: `2026-0${i + 1}-10T00:00:00.000Z` },
        ),
      ),
    ),
  );
}

const idOf = (n: number) => `C-${String(n).padStart(2, '0')}`;

/** A store of CUSTOMERS views, its reads counted, and an engine reading it. */
async function givenDemoStore(
  options: { collection?: () => string; maxDatedCustomers?: number } = {},
) {
  const store = new MemoryReadStore();
  for (const collection of [VIEWS, 'customer-view.g2'])
    await store.putMany(
      collection,
      Array.from({ length: CUSTOMERS }, (_, n) => ({
        key: idOf(n),
        position: BigInt(n + 1),
        value: viewOf(idOf(n), 1_000 + n, 2_000 + n),
      })),
    );
  await store.putCheckpoint('projector', BigInt(CUSTOMERS));
  const list = jest.spyOn(store, 'list');
  const getMany = jest.spyOn(store, 'getMany');
  const engine = new InsightsEngine(store, {
    ...settings,
    ...(options.collection ? { viewCollection: options.collection } : {}),
    ...(options.maxDatedCustomers === undefined
      ? {}
      : { maxDatedCustomers: options.maxDatedCustomers }),
  });
  const viewsRead = () => ({
    listed: list.mock.calls.length,
    keysRead: getMany.mock.calls.reduce((sum, [, keys]) => sum + keys.length, 0),
  });
  const reset = () => {
    list.mockClear();
    getMany.mockClear();
  };
  return { store, engine, viewsRead, reset };
}

const revenueOf = (snapshot: Pick<InsightsSnapshot, 'rows'>, id: string) =>
  snapshot.rows.find((row) => row.customerId === id)?.revenueMinor;

describe('the dated views past dates are computed from', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('when a second past date is asked for', () => {
    it('reads no view again', async () => {
      const { engine, viewsRead, reset } = await givenDemoStore();
      const first = await engine.asOf('2026-06-30T00:00:00.000Z');
      expect(first.customers).toBe(CUSTOMERS);
      expect(viewsRead().listed).toBeGreaterThan(0);
      reset();

      const second = await engine.asOf('2026-03-31T00:00:00.000Z');
      const retention = await engine.retentionAsOf('2026-04-30T00:00:00.000Z');

      expect(viewsRead()).toEqual({ listed: 0, keysRead: 0 });
      expect(second.customers).toBe(CUSTOMERS);
      expect(revenueOf(second, 'C-05')).toBe(3_010);
      expect(retention.position).toBe(String(CUSTOMERS));
    });
  });

  describe('when the projector writes a view after they were read', () => {
    it('reads that view alone again, and the next date counts the write', async () => {
      const { store, engine, viewsRead, reset } = await givenDemoStore();
      await engine.asOf('2026-06-30T00:00:00.000Z');
      reset();

      const position = BigInt(CUSTOMERS + 1);
      await store.putMany(VIEWS, [
        { key: 'C-05', position, value: viewOf('C-05', 1_005, 2_005, 9_000) },
      ]);
      await store.putCheckpoint('projector', position);
      engine.viewsWritten(['C-05'], position);
      const after = await engine.asOf('2026-05-31T00:00:00.000Z');

      expect(viewsRead()).toEqual({ listed: 0, keysRead: 1 });
      expect(revenueOf(after, 'C-05')).toBe(1_005 + 2_005 + 9_000);
      expect(after.position).toBe(String(position));
    });

    it('leaves out a view parked or removed since', async () => {
      const { store, engine } = await givenDemoStore();
      await engine.asOf('2026-06-30T00:00:00.000Z');

      const position = BigInt(CUSTOMERS + 2);
      const stale = { position: '31', eventType: 'X', error: 'test', eventsNotApplied: 1 };
      await store.putMany(VIEWS, [
        { key: 'C-07', position, value: markedStale(viewOf('C-07', 1_007, 2_007), stale) },
      ]);
      await store.deleteMany(VIEWS, ['C-08']);
      await store.putCheckpoint('projector', position);
      engine.viewsWritten(['C-07', 'C-08'], position);
      const after = await engine.asOf('2026-05-31T00:00:00.000Z');

      expect(after.customers).toBe(CUSTOMERS - 2);
      expect(after.excluded?.customers).toEqual([
        { customerId: 'C-07', reason: expect.stringContaining('parked') },
      ]);
      expect(revenueOf(after, 'C-08')).toBeUndefined();
    });
  });

  describe('when the checkpoint moved past every write reported', () => {
    it('reads every view again (a write it was not told of is counted)', async () => {
      const { store, engine, viewsRead, reset } = await givenDemoStore();
      await engine.asOf('2026-06-30T00:00:00.000Z');
      reset();

      const position = BigInt(CUSTOMERS + 1);
      await store.putMany(VIEWS, [
        { key: 'C-05', position, value: viewOf('C-05', 1_005, 2_005, 9_000) },
      ]);
      await store.putCheckpoint('projector', position);
      const after = await engine.asOf('2026-05-31T00:00:00.000Z');

      expect(viewsRead().listed).toBeGreaterThan(0);
      expect(revenueOf(after, 'C-05')).toBe(1_005 + 2_005 + 9_000);
    });
  });

  describe('when the view generation switched (a rebuild went live)', () => {
    it('reads the new generation in full', async () => {
      let collection = VIEWS;
      const { store, engine, viewsRead, reset } = await givenDemoStore({
        collection: () => collection,
      });
      await engine.asOf('2026-06-30T00:00:00.000Z');
      reset();
      await store.putMany('customer-view.g2', [
        { key: 'C-09', position: 99n, value: viewOf('C-09', 5) },
      ]);

      collection = 'customer-view.g2';
      const after = await engine.asOf('2026-05-31T00:00:00.000Z');

      expect(viewsRead().listed).toBeGreaterThan(0);
      expect(revenueOf(after, 'C-09')).toBe(5);
    });
  });

  describe('when a population boundary is computed from them (computeWithViews)', () => {
    /** Each view as stored, the records it was handed written down. */
    function asStored() {
      const handed: StoredRecord<DatedView>[][] = [];
      const viewsAsOf: ViewsAsOf = async function* (stored) {
        const records: StoredRecord<DatedView>[] = [];
        handed.push(records);
        for await (const page of stored) {
          records.push(...page);
          yield page.map((record) => record.value);
        }
      };
      return { viewsAsOf, handed };
    }

    it('hands over each kept record with its key, position and stale mark, reading only a reported write again', async () => {
      const { store, engine, viewsRead, reset } = await givenDemoStore();
      const { viewsAsOf, handed } = asStored();
      await engine.asOf('2026-06-30T00:00:00.000Z');
      reset();

      const first = await engine.computeWithViews('2026-06-30T00:00:00.000Z', viewsAsOf);
      expect(viewsRead()).toEqual({ listed: 0, keysRead: 0 });
      expect(handed[0].map((r) => [r.key, r.position])).toEqual(
        Array.from({ length: CUSTOMERS }, (_, n) => [idOf(n), BigInt(n + 1)]),
      );
      expect([...first.rows]).toEqual([...(await engine.compute('2026-06-30T00:00:00.000Z')).rows]);
      reset();

      const position = BigInt(CUSTOMERS + 1);
      const stale = { position: '31', eventType: 'X', error: 'test', eventsNotApplied: 1 };
      await store.putMany(VIEWS, [
        { key: 'C-07', position, value: markedStale(viewOf('C-07', 1_007, 2_007), stale) },
      ]);
      await store.putCheckpoint('projector', position);
      engine.viewsWritten(['C-07'], position);
      await engine.computeWithViews('2026-05-31T00:00:00.000Z', viewsAsOf);

      expect(viewsRead()).toEqual({ listed: 0, keysRead: 1 });
      const c07 = handed[1].find((r) => r.key === 'C-07');
      expect(c07?.position).toBe(position);
      expect(staleMarkOf(c07?.value)).toEqual(stale);
    });

    it('reads every stored view for each boundary when the base has more customers than are held', async () => {
      const { engine, viewsRead, reset } = await givenDemoStore({
        maxDatedCustomers: CUSTOMERS - 1,
      });
      const { viewsAsOf, handed } = asStored();
      await engine.computeWithViews('2026-06-30T00:00:00.000Z', viewsAsOf);
      reset();

      const second = await engine.computeWithViews('2026-03-31T00:00:00.000Z', viewsAsOf);

      expect(viewsRead().listed).toBeGreaterThan(0);
      expect(handed[1]).toHaveLength(CUSTOMERS);
      expect([...second.rows]).toEqual([
        ...(await engine.compute('2026-03-31T00:00:00.000Z')).rows,
      ]);
    });
  });

  describe('when the base has more customers than are held', () => {
    it('holds none and reads none, so that each date reads every view as before', async () => {
      const { store, viewsRead } = await givenDemoStore();

      const dated = await new DatedViews(store, CUSTOMERS - 1).at(VIEWS, BigInt(CUSTOMERS));

      expect(dated).toBeUndefined();
      expect(viewsRead()).toEqual({ listed: 0, keysRead: 0 });
      expect((await new DatedViews(store, CUSTOMERS).at(VIEWS, 0n))?.views).toHaveLength(CUSTOMERS);
    });
  });
});
