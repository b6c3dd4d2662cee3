import { Logger } from '@nestjs/common';
import type { RapportConfig } from '@rapport/config';
import type { InsightsEngine, InsightsSnapshot } from '@rapport/insights';
import type { AppliedListener, Projector } from '@rapport/projector';
import { FOLLOW_GAP_MS, InsightsRefresher } from './insights-refresher';

/** A projector at a position of our choosing, and an engine whose refresh takes `refreshMs`. */
function given(refreshSeconds: number, refreshMs = 500) {
  const projector = { position: 10n, caughtUpOnce: true };
  let listener: AppliedListener | undefined;
  /** The projector applies a batch that wrote these customers. */
  const apply = (position: bigint, ...customerIds: string[]) => {
    projector.position = position;
    listener?.(customerIds, position);
  };
  const refreshes: { startedAt: number; endedAt?: number }[] = [];
  const engine = {
    refresh: jest.fn(async () => {
      const refresh: { startedAt: number; endedAt?: number } = { startedAt: Date.now() };
      refreshes.push(refresh);
      await new Promise((resolve) => setTimeout(resolve, refreshMs));
      refresh.endedAt = Date.now();
      return {} as InsightsSnapshot;
    }),
  };
  const refresher = new InsightsRefresher(
    engine as unknown as InsightsEngine,
    {
      status: () => ({ ...projector }),
      onApplied: (applied: AppliedListener) => (listener = applied),
    } as unknown as Projector,
    { insights: { refreshSeconds } } as RapportConfig,
  );
  return { projector, refreshes, refresher, apply, engine };
}

describe('InsightsRefresher', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  describe('when the projector applies events after a refresh', () => {
    it('refreshes again a few seconds after, not INSIGHTS_REFRESH_SECONDS later', async () => {
      const { projector, refreshes, refresher } = given(60);
      refresher.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(refreshes).toHaveLength(1);
      projector.position = 25n;
      const appliedAt = Date.now();
      await jest.advanceTimersByTimeAsync(FOLLOW_GAP_MS + 1_000);
      expect(refreshes).toHaveLength(2);
      expect(refreshes[1].startedAt - appliedAt).toBeLessThanOrEqual(FOLLOW_GAP_MS);
      await refresher.beforeApplicationShutdown();
    });
  });

  describe('when events keep arriving', () => {
    it('never overlaps two refreshes and rests at least as long as the last one took', async () => {
      const { projector, refreshes, refresher } = given(60, 3_000);
      refresher.onApplicationBootstrap();
      for (let second = 0; second < 30; second += 1) {
        projector.position += 5n;
        await jest.advanceTimersByTimeAsync(1_000);
      }
      expect(refreshes.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < refreshes.length; i += 1)
        expect(refreshes[i].startedAt - refreshes[i - 1].endedAt!).toBeGreaterThanOrEqual(3_000);
      await refresher.beforeApplicationShutdown();
    });
  });

  describe('when no events arrive', () => {
    it('refreshes every INSIGHTS_REFRESH_SECONDS only, as "now" moves on', async () => {
      const { refreshes, refresher } = given(60);
      refresher.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(59_000);
      expect(refreshes).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(refreshes).toHaveLength(2);
      await refresher.beforeApplicationShutdown();
    });
  });

  describe('when INSIGHTS_REFRESH_SECONDS is 0', () => {
    it('computes nothing unless asked, events or not', async () => {
      const { projector, refreshes, refresher } = given(0);
      refresher.onApplicationBootstrap();
      projector.position = 99n;
      await jest.advanceTimersByTimeAsync(10_000);
      expect(refreshes).toHaveLength(0);
    });
  });

  describe('before the projector has caught up', () => {
    it('waits: a snapshot of half the views would mislead', async () => {
      const { projector, refreshes, refresher } = given(60);
      projector.caughtUpOnce = false;
      refresher.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(refreshes).toHaveLength(0);
      projector.caughtUpOnce = true;
      await jest.advanceTimersByTimeAsync(1_000);
      expect(refreshes).toHaveLength(1);
      await refresher.beforeApplicationShutdown();
    });
  });

  describe('when asked to refresh while a refresh runs', () => {
    it('answers with one that starts after the running one, shared by the calls made meanwhile', async () => {
      const { refreshes, refresher } = given(0, 1_000);
      const first = refresher.refreshNow();
      await jest.advanceTimersByTimeAsync(400);
      const askedAt = Date.now();
      const second = refresher.refreshNow();
      const third = refresher.refreshNow();
      expect(third).toBe(second);
      await jest.advanceTimersByTimeAsync(3_000);
      await Promise.all([first, second]);
      expect(refreshes).toHaveLength(2);
      expect(refreshes[1].startedAt).toBeGreaterThanOrEqual(askedAt);
      expect(refreshes[1].startedAt).toBeGreaterThanOrEqual(refreshes[0].endedAt!);
    });
  });

  describe('when it follows the projector', () => {
    it('hands the engine the customers written since the last refresh, to read only those again', async () => {
      const { refresher, apply, engine } = given(60, 100);
      refresher.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(1_000);
      apply(11n, 'C-1', 'C-2');
      apply(12n, 'C-2', 'C-3');
      await jest.advanceTimersByTimeAsync(FOLLOW_GAP_MS + 500);
      expect(engine.refresh).toHaveBeenCalledTimes(2);
      const [, options] = engine.refresh.mock.calls[1] as unknown as [
        unknown,
        { keepFacts: boolean; changes?: { customers: Set<string>; position: bigint } },
      ];
      expect(options.keepFacts).toBe(true);
      expect([...options.changes!.customers].sort()).toEqual(['C-1', 'C-2', 'C-3']);
      expect(options.changes!.position).toBe(12n);
      await refresher.beforeApplicationShutdown();
    });

    it('reads every view in the periodic refresh without new events', async () => {
      const { refresher, engine } = given(60, 100);
      refresher.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(61_000);
      expect(engine.refresh).toHaveBeenCalledTimes(2);
      for (const [, options] of engine.refresh.mock.calls as unknown as Array<
        [unknown, { keepFacts: boolean; changes?: unknown }]
      >)
        expect(options).toEqual({ keepFacts: true });
      await refresher.beforeApplicationShutdown();
    });
  });
});
