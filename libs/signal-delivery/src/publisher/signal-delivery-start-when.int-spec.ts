import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
const CUSTOMERS = 50;
const IDLE_MS = 10;
const HOUR = 3_600_000;

/** As in signal-delivery-catch-up.int-spec: purchases, a complaint, a purchase with it open. */
function historyOfCustomer(n: number) {
  const customerId = `C-${n}`;
  const at = (hours: number) => new Date(Date.UTC(2025, 0, 1) + (n + hours) * HOUR).toISOString();
  return historyOf(
    ...Array.from({ length: 4 }, (_, k) =>
      purchase(`O-${n}-${k}`, 1_000 + n, at(k * 12), customerId),
    ),
    complaint(`K-${n}`, at(48), customerId),
    purchase(`O-${n}-last`, 2_500, at(120), customerId),
  );
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(5);
  }
}

describe('when signal delivery is told to start only once the projector has caught up', () => {
  let dir: string;
  let eventStore: SqliteEventStore;
  let readStore: MemoryReadStore;
  let projector: Projector;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-derivation-start-when-'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    for (let n = 0; n < CUSTOMERS; n++)
      await appendHistory(eventStore, `C-${n}`, historyOfCustomer(n));
    readStore = new MemoryReadStore();
    projector = new Projector(eventStore, readStore, [FACTS], {
      name: 'projector',
      batchSize: 1000,
      maxBatchDelayMs: 5,
    });
    await projector.applyBatch(await eventStore.readAll());
  }, 120_000);

  afterAll(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('then nothing is derived while it has not, all of it once it has, and a later event at once', async () => {
    const ledger = new SqliteSignalLedger(join(dir, 'ledger.db'));
    const derivation = new SignalDerivation(eventStore, readStore, ledger, {
      rules: DEFAULT_SIGNAL_RULES,
      batchSize: 1000,
      factsCollection: () => Promise.resolve(FACTS.name),
      projectedUpTo: () => Promise.resolve(projector.position),
    });
    let caughtUp = false;
    let asked = 0;
    const delivery = new SignalDelivery(derivation, undefined, undefined, {
      idleMs: IDLE_MS,
      sweepMs: 0,
      retry: { initialMs: IDLE_MS, maxMs: 100 },
      startWhen: () => {
        asked += 1;
        return caughtUp;
      },
    });
    delivery.start();
    try {
      // Asked again and again (the loop idles between), and each time derivation stays put.
      await until(() => asked >= 10 || derivation.readUpTo() > -1n);
      expect(derivation.readUpTo()).toBe(-1n);
      expect(ledger.list({ limit: 10 })).toEqual([]);

      caughtUp = true;
      await until(() => derivation.readUpTo() >= projector.position);
      const derived = ledger.list({ limit: 1_000_000 }).length;
      expect(derived).toBeGreaterThanOrEqual(CUSTOMERS);
      const askedWhenReleased = asked;

      // Live afterwards: a new event is derived without being held again.
      const next = await appendHistory(eventStore, `C-${CUSTOMERS}`, historyOfCustomer(CUSTOMERS));
      await projector.applyBatch(await eventStore.readAll({ after: projector.position }));
      await until(() => derivation.readUpTo() >= next);
      expect(ledger.list({ limit: 1_000_000 }).length).toBeGreaterThan(derived);
      expect(asked).toBe(askedWhenReleased);
    } finally {
      await delivery.stop();
      ledger.close();
    }
  }, 120_000);
});
