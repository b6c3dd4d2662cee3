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

  it('is undefined before any snapshot was saved', async () => {
    const engine = new InsightsEngine(new MemoryReadStore(), {
      ...settings,
      versionCheckMs: 60_000,
    });
    expect(await engine.current()).toBeUndefined();
  });
});
