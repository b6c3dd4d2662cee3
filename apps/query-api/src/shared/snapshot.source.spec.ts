import type { RapportConfig } from '@rapport/config';
import type { InsightsEngine, InsightsSnapshot } from '@rapport/insights';
import { ProblemDetailsException } from '@rapport/http';
import { MAX_REPLACED_SNAPSHOTS, SnapshotSource } from './snapshot.source';

function snapshot(version: number, position = 0): InsightsSnapshot {
  return { version, position: String(position), rows: [] } as unknown as InsightsSnapshot;
}

/**
 * An engine whose current snapshot the test sets, as refreshes would; `refresh()` answers
 * what the test resolves it with, and counts the calls.
 */
function engineAt(first: InsightsSnapshot | undefined) {
  let current = first;
  let finish: ((next: InsightsSnapshot) => void) | undefined;
  const refreshes = { count: 0 };
  const engine = {
    current: () => Promise.resolve(current),
    refresh: () => {
      refreshes.count += 1;
      return new Promise<InsightsSnapshot>((resolve) => {
        finish = (next) => resolve((current = next));
      });
    },
  } as unknown as InsightsEngine;
  return {
    engine,
    refreshes,
    refreshTo: (next: InsightsSnapshot) => (current = next),
    finishRefresh: (next: InsightsSnapshot) => finish?.(next),
  };
}

function sourceOf(engine: InsightsEngine, ttlSeconds = 600, waitMs = 5_000): SnapshotSource {
  const config = {
    insights: { listCursorTtlSeconds: ttlSeconds },
    http: { readYourWritesTimeoutMs: waitMs },
  } as RapportConfig;
  return new SnapshotSource(engine, config);
}

const cursorOf = (snapshotVersion?: number) => ({ value: 10, id: 'C-1', snapshotVersion });

async function problemOf(pending: Promise<unknown>) {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemDetailsException);
  const { problem, headers } = error as ProblemDetailsException;
  return { ...problem, headers };
}

describe('SnapshotSource', () => {
  let now: number;
  beforeEach(() => {
    now = 1_767_225_600_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers 503 with Retry-After before the first snapshot', async () => {
    const problem = await problemOf(sourceOf(engineAt(undefined).engine).get());
    expect(problem).toMatchObject({ status: 503, code: 'INSIGHTS_NOT_READY' });
  });

  it('cuts a page without a versioned cursor from the current snapshot', async () => {
    const { engine, refreshTo } = engineAt(snapshot(1));
    const source = sourceOf(engine);
    await source.get();
    refreshTo(snapshot(2));
    expect((await source.forPage(undefined)).version).toBe(2);
    expect((await source.forPage(cursorOf(undefined))).version).toBe(2);
  });

  it("cuts the next page from the cursor's snapshot after a refresh replaced it", async () => {
    const { engine, refreshTo } = engineAt(snapshot(1));
    const source = sourceOf(engine);
    const first = await source.forPage(undefined);
    refreshTo(snapshot(2));
    now += 599_000;
    expect(await source.forPage(cursorOf(1))).toBe(first);
    expect((await source.forPage(cursorOf(2))).version).toBe(2);
  });

  it('lets the replaced snapshot go once the cursor lifetime has passed', async () => {
    const { engine, refreshTo } = engineAt(snapshot(1));
    const source = sourceOf(engine);
    await source.get();
    refreshTo(snapshot(2));
    await source.get();
    now += 600_000;
    const problem = await problemOf(source.forPage(cursorOf(1)));
    expect(problem).toMatchObject({ status: 410, code: 'CURSOR_EXPIRED' });
    expect(problem.detail).toContain('snapshot 1, replaced by 2');
  });

  it(`keeps at most the ${MAX_REPLACED_SNAPSHOTS} latest replaced snapshots`, async () => {
    const { engine, refreshTo } = engineAt(snapshot(1));
    const source = sourceOf(engine);
    for (let version = 2; version <= MAX_REPLACED_SNAPSHOTS + 2; version++) {
      await source.get();
      refreshTo(snapshot(version));
    }
    await source.get();
    expect((await problemOf(source.forPage(cursorOf(1)))).status).toBe(410);
    for (let version = 2; version <= MAX_REPLACED_SNAPSHOTS + 1; version++)
      expect((await source.forPage(cursorOf(version))).version).toBe(version);
  });

  it('keeps no replaced snapshot with a cursor lifetime of 0', async () => {
    const { engine, refreshTo } = engineAt(snapshot(1));
    const source = sourceOf(engine, 0);
    await source.get();
    refreshTo(snapshot(2));
    expect((await problemOf(source.forPage(cursorOf(1)))).status).toBe(410);
  });

  it('asks to retry a cursor of a snapshot newer than this instance has loaded', async () => {
    const source = sourceOf(engineAt(snapshot(1)).engine);
    const problem = await problemOf(source.forPage(cursorOf(2)));
    expect(problem).toMatchObject({ status: 503, code: 'SNAPSHOT_NOT_LOADED' });
    expect(problem.headers).toEqual({ 'Retry-After': '1' });
  });

  describe('when a read names a position (read-your-writes)', () => {
    it('answers from the current snapshot when it covers the position, refreshing nothing', async () => {
      const { engine, refreshes } = engineAt(snapshot(1, 40));
      const source = sourceOf(engine);
      expect((await source.get(undefined, 40n)).version).toBe(1);
      expect(refreshes.count).toBe(0);
    });

    it('recomputes a snapshot that misses the position, once for concurrent reads', async () => {
      const { engine, refreshes, finishRefresh } = engineAt(snapshot(1, 40));
      const source = sourceOf(engine);
      const reads = [source.get(undefined, 41n), source.forPage(undefined, 45n)];
      await new Promise((resolve) => setImmediate(resolve));
      finishRefresh(snapshot(2, 50));
      expect((await Promise.all(reads)).map((s) => s.version)).toEqual([2, 2]);
      expect(refreshes.count).toBe(1);
    });

    it('answers 503 INSIGHTS_BEHIND with the position it has when the refresh takes too long', async () => {
      const { engine } = engineAt(snapshot(1, 40));
      const problem = await problemOf(sourceOf(engine, 600, 10).get(undefined, 41n));
      expect(problem).toMatchObject({ status: 503, code: 'INSIGHTS_BEHIND', position: '40' });
      expect(problem.headers).toMatchObject({ 'Retry-After': '1' });
    });

    it("refuses a later page whose listing's snapshot predates the position (409)", async () => {
      const { engine, refreshTo } = engineAt(snapshot(1, 40));
      const source = sourceOf(engine);
      await source.forPage(undefined);
      refreshTo(snapshot(2, 60));
      const problem = await problemOf(source.forPage(cursorOf(1), 50n));
      expect(problem).toMatchObject({ status: 409, code: 'CURSOR_BEFORE_POSITION' });
      expect((await source.forPage(cursorOf(2), 50n)).version).toBe(2);
    });
  });
});
