/**
 * Signal derivation's catch-up speed: events a second through SignalDerivation.step() over a
 * SQLite store of purchases and complaints (with merges and undos), the signal facts applied by
 * a projector into an in-memory view. Two cases: `caught-up` (the view holds every event before
 * derivation starts, as at a start or a ledger rebuild) and `in-step` (the view applies each
 * step's events just before it; only the steps are timed). Alternates implementations per round.
 *   npm run bench:signal-derivation -- [--customers 2000] [--events-each 12] [--rounds 2]
 *     [--base <module exporting SignalDerivation>]   e.g. a copy of another tree's
 *       signal-derivation.ts beside the current one, compared with it in the same run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore, type RecordedEvent } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
import { Projector } from '@rapport/projector';
import type { Projection } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { SignalDerivation, SqliteSignalLedger } from '@rapport/signal-delivery';
import { appendHistory } from '@rapport/signal-delivery/testing';
import { DEFAULT_SIGNAL_RULES, signalFactsProjection } from '@rapport/signals';
import { complaint, purchase } from '@rapport/signals/testing';
import { argument, seconds } from './bench-support';

const CUSTOMERS = Number(argument('--customers') ?? 2_000);
const EVENTS_EACH = Number(argument('--events-each') ?? 12);
const ROUNDS = Number(argument('--rounds') ?? 2);
const BASE = argument('--base');
const BATCH = 1_000;
const HOUR = 3_600_000;
const FACTS = signalFactsProjection as Projection<unknown>;

type Derivation = Pick<SignalDerivation, 'step' | 'sweep'>;
type DerivationClass = new (...args: ConstructorParameters<typeof SignalDerivation>) => Derivation;

async function fill(store: SqliteEventStore): Promise<void> {
  for (let n = 0; n < CUSTOMERS; n++) {
    const id = `C-${n}`;
    const at = (h: number) => new Date(Date.UTC(2025, 0, 1) + (n + h) * HOUR).toISOString();
    await appendHistory(
      store,
      id,
      historyOf(
        ...Array.from({ length: EVENTS_EACH - 1 }, (_, k) =>
          purchase(`O-${n}-${k}`, 1_000 + ((n * 37 + k) % 9_000), at(k * 12), id),
        ),
        complaint(`K-${n}`, at((EVENTS_EACH - 1) * 12), id),
      ),
    );
    // Every 50th customer merged with the one before; every other such merge undone later.
    if (n % 50 === 49) {
      const event = merged(`m-${n}`, `C-${n - 1}`, id);
      await store.append(
        IDENTITY_GRAPH_STREAM,
        [{ id: `graph-m-${n}`, type: event.type, data: { ...event.data }, metadata: {} }],
        { expectedRevision: 'any' },
      );
    }
    if (n % 100 === 99 && n > 100) {
      const event = undone(`m-${n - 50}`);
      await store.append(
        IDENTITY_GRAPH_STREAM,
        [{ id: `graph-u-${n}`, type: event.type, data: { ...event.data }, metadata: {} }],
        { expectedRevision: 'any' },
      );
    }
  }
}

async function run(
  Impl: DerivationClass,
  store: SqliteEventStore,
  log: readonly RecordedEvent[],
  caughtUp: MemoryReadStore,
  mode: 'caught-up' | 'in-step',
  dir: string,
  name: string,
) {
  const readStore = mode === 'caught-up' ? caughtUp : new MemoryReadStore();
  const projector = new Projector(store, readStore, [FACTS], {
    name: `bench-${name}`,
    batchSize: BATCH,
    maxBatchDelayMs: 5,
  });
  const head = log[log.length - 1].position;
  let projected = mode === 'caught-up' ? head : -1n;
  const ledger = new SqliteSignalLedger(join(dir, `${name}.db`));
  const derivation = new Impl(store, readStore, ledger, {
    rules: DEFAULT_SIGNAL_RULES,
    batchSize: BATCH,
    factsCollection: () => Promise.resolve(FACTS.name),
    projectedUpTo: () => Promise.resolve(projected),
  });
  let applied = 0;
  let stepping = 0;
  for (;;) {
    if (mode === 'in-step' && applied < log.length) {
      const batch = log.slice(applied, applied + BATCH);
      await projector.applyBatch(batch);
      applied += batch.length;
      projected = batch[batch.length - 1].position;
    }
    const started = process.hrtime.bigint();
    const busy = await derivation.step();
    stepping += seconds(started);
    if (!busy) break;
  }
  const swept = process.hrtime.bigint();
  await derivation.sweep();
  const sweepSeconds = seconds(swept);
  const { signals, conflicts } = ledger.counts();
  ledger.close();
  return { eventsPerSecond: log.length / stepping, sweepSeconds, signals, conflicts };
}

async function main(): Promise<void> {
  // Regroup lines per merge would drown the figures.
  Logger.overrideLogger(['warn', 'error']);
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-derivation-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
  try {
    await fill(store);
    const log = await store.readAll();
    const caughtUp = new MemoryReadStore();
    await new Projector(store, caughtUp, [FACTS], {
      name: 'bench',
      batchSize: BATCH,
      maxBatchDelayMs: 5,
    }).applyBatch(log);
    const impls: [string, DerivationClass][] = [];
    if (BASE)
      impls.push([
        'base',
        ((await import(resolve(BASE))) as { SignalDerivation: DerivationClass }).SignalDerivation,
      ]);
    impls.push(['new', SignalDerivation]);
    console.log(
      `${log.length} events, ${CUSTOMERS} customers; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    for (let round = 0; round < ROUNDS; round++)
      for (const mode of ['caught-up', 'in-step'] as const)
        for (const [label, Impl] of impls) {
          const r = await run(Impl, store, log, caughtUp, mode, dir, `${label}-${mode}-${round}`);
          console.log(
            `round ${round} ${mode.padEnd(9)} ${label.padEnd(4)} ${Math.round(r.eventsPerSecond)} events/s, ` +
              `sweep ${(r.sweepSeconds * 1000).toFixed(0)} ms, ${r.signals} signals, ${r.conflicts} conflicts`,
          );
        }
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
