import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM, type MergeUndone, type ProfilesMerged } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
import { Projector } from '@rapport/projector';
import type { Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { signalFactsProjection, type Signal } from '@rapport/signals';
import { only, purchase } from '@rapport/signals/testing';
import { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import { appendHistory } from '../testing';
import { SignalDerivation } from './signal-derivation';

const FACTS = signalFactsProjection as Projection<unknown>;
/** Thank-yous only: the first purchase and the 5th (a milestone) are what this spec counts. */
const RULES = only('thankYou');
const day = (n: number) => new Date(Date.UTC(2026, 2, 1 + n, 10)).toISOString();

/**
 * C-A buys once and C-B three times; the two are merged (C-A survives: the smaller id), and
 * C-B's next purchase is the profile's 5th — a milestone thank-you for the profile. The merge
 * is undone, and C-B's purchase after that is C-B's own 5th: a milestone for C-B alone.
 */
describe('when an event lands on an absorbed member’s stream after a merge', () => {
  let dir: string;
  let eventStore: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-merged-derivation-'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
  });

  afterEach(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The live pipeline: the projector applies what is new, then derivation steps (no sweep). */
  function livePipeline(ledgerFile: string, batchSize = 1000) {
    const readStore = new MemoryReadStore();
    const projector = new Projector(eventStore, readStore, [FACTS], {
      name: 'projector',
      batchSize: 1000,
      maxBatchDelayMs: 5,
    });
    const ledger = new SqliteSignalLedger(join(dir, ledgerFile));
    const derivationOf = () =>
      new SignalDerivation(eventStore, readStore, ledger, {
        rules: RULES,
        batchSize,
        factsCollection: () => Promise.resolve(FACTS.name),
        projectedUpTo: () => Promise.resolve(projector.position),
      });
    let derivation = derivationOf();
    return {
      ledger,
      /** As after a restart of the process: a new derivation over the same ledger. */
      restartDerivation: () => (derivation = derivationOf()),
      async settle(): Promise<void> {
        await projector.applyBatch(await eventStore.readAll({ after: projector.position }));
        while (await derivation.step());
      },
    };
  }

  async function appendGraph(event: ProfilesMerged | MergeUndone): Promise<void> {
    await eventStore.append(
      IDENTITY_GRAPH_STREAM,
      [{ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: {} }],
      { expectedRevision: 'any' },
    );
  }

  async function purchaseOf(customerId: string, orderId: string, at: string) {
    const position = await appendHistory(
      eventStore,
      customerId,
      historyOf(purchase(orderId, 2_000, at, customerId)),
    );
    const [event] = (await eventStore.readAll({ after: position - 1n })).filter(
      (e) => e.position === position,
    );
    return { eventId: event.id, position: position.toString() };
  }

  function milestones(ledger: SqliteSignalLedger): Signal[] {
    return ledger
      .list({ limit: 100 })
      .map((e) => e.signal)
      .filter((s) => s.trigger === 'milestone');
  }

  async function mergedHistory(pipeline: ReturnType<typeof livePipeline>) {
    await appendHistory(eventStore, 'C-A', historyOf(purchase('O-A1', 2_000, day(0), 'C-A')));
    await appendHistory(
      eventStore,
      'C-B',
      historyOf(
        purchase('O-B1', 2_000, day(1), 'C-B'),
        purchase('O-B2', 2_000, day(2), 'C-B'),
        purchase('O-B3', 2_000, day(3), 'C-B'),
      ),
    );
    await pipeline.settle();
    await appendGraph(merged('m-1', 'C-A', 'C-B'));
    await pipeline.settle();
  }

  it('then its signal is derived at once, names the profile’s survivor and points at the event', async () => {
    const live = livePipeline('live.db');
    await mergedHistory(live);
    const fifth = await purchaseOf('C-B', 'O-B4', day(4));
    await live.settle();

    const [milestone, ...more] = milestones(live.ledger);
    expect(more).toEqual([]);
    expect(milestone).toMatchObject({
      rule: 'thank-you',
      subject: { id: 'C-A' },
      evidence: { events: [{ eventId: fifth.eventId, position: fifth.position }] },
    });
    expect(milestone.evidence.figures).toMatchObject({ purchaseNumber: 5 });
    expect(live.ledger.counts().conflicts).toBe(0);
    live.ledger.close();
  });

  it('then a member’s event read in the same step as the merge after it is derived for the profile', async () => {
    const live = livePipeline('live.db');
    await appendHistory(eventStore, 'C-A', historyOf(purchase('O-A1', 2_000, day(0), 'C-A')));
    await appendHistory(
      eventStore,
      'C-B',
      historyOf(
        purchase('O-B1', 2_000, day(1), 'C-B'),
        purchase('O-B2', 2_000, day(2), 'C-B'),
        purchase('O-B3', 2_000, day(3), 'C-B'),
      ),
    );
    await live.settle();
    // Routed to C-B at its position; by the time the step reads facts the merge has folded
    // C-B's record into C-A's, where this purchase is the profile's 5th.
    const fifth = await purchaseOf('C-B', 'O-B4', day(4));
    await appendGraph(merged('m-1', 'C-A', 'C-B'));
    await live.settle();

    expect(milestones(live.ledger)).toEqual([
      expect.objectContaining({
        subject: expect.objectContaining({ id: 'C-A' }) as unknown,
        evidence: expect.objectContaining({
          events: [expect.objectContaining({ eventId: fifth.eventId })],
        }) as unknown,
      }),
    ]);
    live.ledger.close();
  });

  it('then a restarted derivation routes it the same way (the partition loaded up to its cursor)', async () => {
    const live = livePipeline('live.db');
    await mergedHistory(live);
    live.restartDerivation();
    const fifth = await purchaseOf('C-B', 'O-B4', day(4));
    await live.settle();

    expect(milestones(live.ledger)).toEqual([
      expect.objectContaining({
        subject: expect.objectContaining({ id: 'C-A' }) as unknown,
        evidence: expect.objectContaining({
          events: [expect.objectContaining({ eventId: fifth.eventId })],
        }) as unknown,
      }),
    ]);
    live.ledger.close();
  });

  it('then a replay and a rebuild give the profile the same signal ids and content', async () => {
    const live = livePipeline('live.db');
    await mergedHistory(live);
    await purchaseOf('C-B', 'O-B4', day(4));
    await live.settle();
    const profileSignals = (ledger: SqliteSignalLedger) =>
      ledger.list({ customerId: 'C-A', limit: 100 }).map((e) => e.signal);
    const expected = profileSignals(live.ledger);
    expect(expected.map((s) => s.trigger).sort()).toEqual(['first-purchase', 'milestone']);

    // Replay: the same ledger read again from the start adds nothing and changes nothing.
    live.ledger.record([], -1n, { position: -1n, watermark: null });
    live.restartDerivation();
    await live.settle();
    expect(profileSignals(live.ledger)).toEqual(expected);
    expect(live.ledger.counts()).toMatchObject({ conflicts: 0 });

    // Rebuild: fresh views and a fresh ledger, one event a step.
    const rebuilt = livePipeline('rebuilt.db', 1);
    await rebuilt.settle();
    expect(profileSignals(rebuilt.ledger)).toEqual(expected);
    live.ledger.close();
    rebuilt.ledger.close();
  });

  it('then after the merge is undone, the formerly absorbed member’s events derive for it alone', async () => {
    const live = livePipeline('live.db');
    await mergedHistory(live);
    await purchaseOf('C-B', 'O-B4', day(4));
    await live.settle();
    await appendGraph(undone('m-1'));
    await live.settle();
    const before = live.ledger.list({ customerId: 'C-A', limit: 100 }).map((e) => e.signal);

    // C-B's own 5th purchase; it would be the profile's 6th, no milestone, had the merge stood.
    const own5th = await purchaseOf('C-B', 'O-B5', day(5));
    await live.settle();

    expect(live.ledger.list({ customerId: 'C-A', limit: 100 }).map((e) => e.signal)).toEqual(
      before,
    );
    const forB = milestones(live.ledger).filter((s) => s.subject.id === 'C-B');
    expect(forB).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({
          events: [expect.objectContaining({ eventId: own5th.eventId })],
          figures: expect.objectContaining({ purchaseNumber: 5 }) as unknown,
        }) as unknown,
      }),
    ]);
    expect(live.ledger.counts().conflicts).toBe(0);
    live.ledger.close();
  });
});
