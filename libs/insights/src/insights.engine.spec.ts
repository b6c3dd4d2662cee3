import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { InsightsEngine } from './insights.engine';

const settings = {
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 20,
} as const;

describe('the current insights snapshot', () => {
  const asOf = '2026-11-01T00:00:00.000Z';

  describe('when another process saves a newer snapshot', () => {
    it('is seen at the next call without a version check interval', async () => {
      const store = new MemoryReadStore();
      const projector = new InsightsEngine(store, settings);
      const reader = new InsightsEngine(store, settings);
      const first = await projector.refresh(asOf);
      expect((await reader.current())?.version).toBe(first.version);
      const second = await projector.refresh(asOf);
      expect((await reader.current())?.version).toBe(second.version);
    });

    it('is not seen before the version check interval has passed', async () => {
      const store = new MemoryReadStore();
      const projector = new InsightsEngine(store, settings);
      const reader = new InsightsEngine(store, { ...settings, versionCheckMs: 60_000 });
      const first = await projector.refresh(asOf);
      expect((await reader.current())?.version).toBe(first.version);
      await projector.refresh(asOf);
      expect((await reader.current())?.version).toBe(first.version);
    });
  });

  describe('when the same engine saves a newer snapshot', () => {
    it('is seen at once, whatever the version check interval', async () => {
      const engine = new InsightsEngine(new MemoryReadStore(), {
        ...settings,
        versionCheckMs: 60_000,
      });
      await engine.refresh(asOf);
      expect(await engine.current()).toBeDefined();
      const second = await engine.refresh(asOf);
      expect((await engine.current())?.version).toBe(second.version);
    });
  });

  describe('when computed as of a past date', () => {
    it("counts only the customers first seen by then (June counted 20,001, July's in none)", async () => {
      const store = new MemoryReadStore();
      const buyer = (customerId: string, occurredAt: string) =>
        foldProjection(
          customerViewProjection,
          customerId,
          historyOf(
            aTouchpoint(
              'purchase',
              { orderId: `O-${customerId}`, amount: { minor: 1_000, currency: 'EUR' } },
              { customerId, occurredAt },
            ),
          ),
        );
      const views = [
        buyer('C-june', '2026-06-10T00:00:00.000Z'),
        buyer('C-july', '2026-07-10T00:00:00.000Z'),
      ];
      await store.putMany(
        customerViewProjection.name,
        views.map((view, i) => ({ key: view.customerId, position: BigInt(i), value: view })),
      );
      const engine = new InsightsEngine(store, settings);
      const june = await engine.compute('2026-06-30T23:59:59.999Z');
      expect(june.rows.map((row) => row.customerId)).toEqual(['C-june']);
      expect(june.customers).toBe(1);
      expect(june.tiers.customers).toBe(1);
      expect(june.tiers.tiers.none.count).toBe(0);
      expect((await engine.compute(asOf)).customers).toBe(2);
    });
  });

  it('read by another process, shares the lists of equal rows as the computed snapshot does', async () => {
    const store = new MemoryReadStore();
    const views = ['C-1', 'C-2', 'C-3'].map((customerId, i) =>
      foldProjection(
        customerViewProjection,
        customerId,
        historyOf(
          aTouchpoint(
            'purchase',
            { orderId: `O-${i}`, amount: { minor: 1_000 * (i + 1), currency: 'EUR' } },
            { customerId, occurredAt: '2026-10-01T00:00:00.000Z' },
          ),
        ),
      ),
    );
    await store.putMany(
      customerViewProjection.name,
      views.map((view, i) => ({ key: view.customerId, position: BigInt(i), value: view })),
    );
    const saved = await new InsightsEngine(store, settings).refresh(asOf);
    const read = await new InsightsEngine(store, settings).current();
    expect(read?.rows).toEqual(saved.rows);
    expect(new Set(read?.rows.map((row) => row.channels)).size).toBe(1);
    expect(new Set(read?.rows.map((row) => row.reasonCodes)).size).toBe(
      new Set(saved.rows.map((row) => row.reasonCodes.join(' '))).size,
    );
  });

  it('is undefined before any snapshot was saved', async () => {
    const engine = new InsightsEngine(new MemoryReadStore(), {
      ...settings,
      versionCheckMs: 60_000,
    });
    expect(await engine.current()).toBeUndefined();
  });
});
