import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { Projector } from '@rapport/projector';
import type { Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { DEFAULT_SIGNAL_RULES, signalFactsProjection } from '@rapport/signals';
import { complaint, purchase } from '@rapport/signals/testing';
import { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import { appendHistory } from '../testing';
import { SignalDelivery } from './signal-delivery';
import { SignalDerivation } from './signal-derivation';

const FACTS = signalFactsProjection as Projection<unknown>;
const CUSTOMERS = 2_000;
const EVENTS_EACH = 12;
const HOUR = 3_600_000;

/**
 * Purchases twelve hours apart, a complaint, and a purchase three days later with the complaint
 * still open; each customer starts an hour after the one before, so that event time (the
 * watermark) moves on as the log is read and first purchases are still pending when read.
 */
function historyOfCustomer(n: number) {
  const customerId = `C-${n}`;
  const at = (hours: number) => new Date(Date.UTC(2025, 0, 1) + (n + hours) * HOUR).toISOString();
  const purchases = Array.from({ length: EVENTS_EACH - 2 }, (_, k) =>
    purchase(`O-${n}-${k}`, 1_000 + ((n * 37 + k) % 9_000), at(k * 12), customerId),
  );
  const complainedAt = (EVENTS_EACH - 2) * 12;
  return historyOf(
    ...purchases,
    complaint(`K-${n}`, at(complainedAt), customerId),
    purchase(`O-${n}-last`, 2_500, at(complainedAt + 72), customerId),
  );
}

describe('when signal derivation catches up over tens of thousands of events at start', () => {
  let dir: string;
  let eventStore: SqliteEventStore;
  let readStore: MemoryReadStore;
  let head: bigint;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-derivation-catch-up-'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    for (let n = 0; n < CUSTOMERS; n++)
      head = await appendHistory(eventStore, `C-${n}`, historyOfCustomer(n));
    readStore = new MemoryReadStore();
    const projector = new Projector(eventStore, readStore, [FACTS], {
      name: 'projector',
      batchSize: 1000,
      maxBatchDelayMs: 5,
    });
    await projector.applyBatch(await eventStore.readAll());
  }, 300_000);

  afterAll(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function derivationInto(ledger: SqliteSignalLedger): SignalDerivation {
    return new SignalDerivation(eventStore, readStore, ledger, {
      rules: DEFAULT_SIGNAL_RULES,
      batchSize: 1000,
      factsCollection: () => Promise.resolve(FACTS.name),
      projectedUpTo: () => Promise.resolve(head),
    });
  }

  function contentOf(ledger: SqliteSignalLedger) {
    return {
      cursor: ledger.cursor(),
      entries: ledger
        .list({ limit: 1_000_000 })
        .map((e) => ({ signal: e.signal, status: e.status, at: e.derivedAtPosition })),
    };
  }

  it('then the event loop turns between steps, and the ledger equals one filled by steps back to back', async () => {
    const sliced = new SqliteSignalLedger(join(dir, 'sliced.db'));
    const derivation = derivationInto(sliced);
    const delivery = new SignalDelivery(derivation, undefined, undefined, {
      idleMs: 20,
      sweepMs: 0,
      retry: { initialMs: 20, maxMs: 100 },
    });
    // A timer sees how far derivation has read each time the event loop gets a turn. With a
    // loop held from start to end it sees nothing between "not started" and "done".
    const partWay = new Set<bigint>();
    const done = new Promise<void>((resolve) => {
      const look = () => {
        const at = derivation.readUpTo();
        if (at >= head) return resolve();
        if (at > -1n) partWay.add(at);
        setTimeout(look, 1);
      };
      setTimeout(look, 1);
    });
    delivery.start();
    await done;
    await delivery.stop();

    const backToBack = new SqliteSignalLedger(join(dir, 'back-to-back.db'));
    const unsliced = derivationInto(backToBack);
    while (await unsliced.step());

    expect(partWay.size).toBeGreaterThanOrEqual(3);
    const expected = contentOf(backToBack);
    expect(expected.entries.length).toBeGreaterThan(CUSTOMERS);
    expect(contentOf(sliced)).toEqual(expected);
    sliced.close();
    backToBack.close();
  }, 300_000);

  it('then a sweep of every customer lets the event loop turn between its pages', async () => {
    const ledger = new SqliteSignalLedger(join(dir, 'sweep.db'));
    const derivation = derivationInto(ledger);
    while (await derivation.step());
    let turns = 0;
    let sweeping = true;
    const count = async () => {
      while (sweeping) {
        await nextTurn();
        turns += 1;
      }
    };
    // Started in the same turn as the sweep: every turn it counts is one the sweep gave back.
    const counting = count();
    await derivation.sweep();
    const turnsDuringSweep = turns;
    sweeping = false;
    await counting;

    expect(turnsDuringSweep).toBeGreaterThanOrEqual(1);
    ledger.close();
  }, 300_000);
});
