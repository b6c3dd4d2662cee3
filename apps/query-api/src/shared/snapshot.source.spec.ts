import type { RapportConfig } from '@rapport/config';
import type { InsightsEngine, InsightsSnapshot } from '@rapport/insights';
import { ProblemDetailsException } from '@rapport/http';
import { MAX_REPLACED_SNAPSHOTS, SnapshotSource } from './snapshot.source';

function snapshot(version: number): InsightsSnapshot {
  return { version, rows: [] } as unknown as InsightsSnapshot;
}

/** An engine whose current snapshot the test sets, as refreshes would. */
function engineAt(first: InsightsSnapshot | undefined) {
  let current = first;
  const engine = { current: () => Promise.resolve(current) } as unknown as InsightsEngine;
  return { engine, refreshTo: (next: InsightsSnapshot) => (current = next) };
}

function sourceOf(engine: InsightsEngine, ttlSeconds = 600): SnapshotSource {
  const config = { insights: { listCursorTtlSeconds: ttlSeconds } } as RapportConfig;
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
});
