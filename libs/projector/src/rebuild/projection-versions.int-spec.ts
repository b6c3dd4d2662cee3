import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import type { Projection } from '@rapport/projections';
import { MemoryReadStore, ViewGenerations } from '@rapport/read-store';
import { appendHistory } from '@rapport/signal-delivery/testing';
import { signalFactsProjection, type SignalFacts } from '@rapport/signals';
import { purchase } from '@rapport/signals/testing';
import { Projector } from '../projector';
import { ProjectionRebuilds } from './projection-rebuilds.registry';
import { ProjectionVersions, projectionVersionKey } from './projection-versions';

const FACTS = signalFactsProjection as Projection<unknown>;
/** The signal facts as version 1 folded them: without the events' positions. */
const FACTS_V1: Projection<unknown> = {
  ...FACTS,
  version: 1,
  evolve: (state, event) => FACTS.evolve(state, event),
  evolveAll: undefined,
};

describe('projection versions at start', () => {
  let dir: string;
  let eventStore: SqliteEventStore;
  let readStore: MemoryReadStore;
  let generations: ViewGenerations;
  let rebuilds: ProjectionRebuilds;
  let versions: ProjectionVersions;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-versions-'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    readStore = new MemoryReadStore();
    generations = new ViewGenerations(readStore);
    rebuilds = new ProjectionRebuilds(eventStore, readStore, generations, undefined, {
      graceMs: 0,
    });
    versions = new ProjectionVersions(readStore, generations, {
      startRebuild: (name) => rebuilds.start(name),
      progressOf: (id) => rebuilds.get(id),
      pollMs: 20,
    });
  });

  afterEach(async () => {
    await versions.stop();
    await rebuilds.stop();
    await readStore.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function foldWith(projection: Projection<unknown>): Promise<void> {
    await appendHistory(
      eventStore,
      'C-1',
      historyOf(purchase('O-1', 4_999, '2026-03-01T10:00:00Z', 'C-1')),
    );
    await appendHistory(
      eventStore,
      'C-2',
      historyOf(purchase('O-2', 1_500, '2026-03-02T10:00:00Z', 'C-2')),
    );
    const projector = new Projector(eventStore, readStore, [projection], {
      name: 'projector',
      batchSize: 100,
      maxBatchDelayMs: 0,
    });
    await projector.applyBatch(await eventStore.readAll({ after: -1n }));
  }

  async function positionsInFacts(): Promise<Array<string | undefined>> {
    const collection = await generations.activeCollection(FACTS.name);
    const page = await readStore.list<SignalFacts>(collection, { limit: 10 });
    return page.records.flatMap((r) => r.value.purchases.map((p) => p.position));
  }

  it('when the view was folded with an older version, then it is rebuilt and its facts gain their positions; the next start leaves it', async () => {
    await foldWith(FACTS_V1);
    await readStore.putCheckpoint(projectionVersionKey(FACTS.name), 1n);
    expect(await positionsInFacts()).toEqual([undefined, undefined]);

    const [check] = await versions.check([FACTS]);
    expect(check).toMatchObject({
      projection: 'signal-facts',
      action: 'rebuild',
      folded: 1,
      version: FACTS.version,
    });
    await versions.settled();

    generations.invalidate(FACTS.name);
    const collection = await generations.activeCollection(FACTS.name);
    expect(collection).not.toBe(FACTS.name);
    expect((await positionsInFacts()).sort()).toEqual(['1', '2']);
    expect(await readStore.getCheckpoint(projectionVersionKey(collection))).toBe(
      BigInt(FACTS.version),
    );
    expect(await versions.check([FACTS])).toEqual([
      { projection: 'signal-facts', action: 'current', version: FACTS.version },
    ]);
  }, 60_000);

  it('when the view holds records but no version (written before versions were recorded), then it is rebuilt', async () => {
    await foldWith(FACTS_V1);
    const [check] = await versions.check([FACTS]);
    expect(check).toMatchObject({ action: 'rebuild', folded: undefined });
    await versions.settled();
    generations.invalidate(FACTS.name);
    expect((await positionsInFacts()).sort()).toEqual(['1', '2']);
  }, 60_000);

  it('when the view is empty, then its version is only recorded', async () => {
    expect(await versions.check([FACTS])).toEqual([
      { projection: 'signal-facts', action: 'recorded', version: FACTS.version },
    ]);
    expect(await readStore.getCheckpoint(projectionVersionKey(FACTS.name))).toBe(BigInt(FACTS.version));
    expect(rebuilds.list()).toEqual([]);
  });

  it('when the views are folded at every start (in memory), then the version is recorded and nothing rebuilt', async () => {
    await foldWith(FACTS_V1);
    const inMemory = new ProjectionVersions(readStore, generations, {
      startRebuild: (name) => rebuilds.start(name),
      progressOf: (id) => rebuilds.get(id),
      foldedAtEveryStart: true,
    });
    expect(await inMemory.check([FACTS])).toEqual([
      { projection: 'signal-facts', action: 'recorded', version: FACTS.version },
    ]);
    expect(rebuilds.list()).toEqual([]);
  });
});
