/**
 * Issue 30: what a merge costs, on SQLite.
 *   npm run bench:identity-merge [-- --merges 2000 --batch 100 --events 100,1000,10000 --rounds 3]
 * 1. Through the resolver: touchpoints each naming a customerId and an anonymousId already
 *    linked to a profile of its own (an anonymous visitor logging in), so each records one
 *    ProfilesMerged, in batches as a Kafka batch brings them; beside, in alternating order,
 *    as many touchpoints that only link a new anonymousId to their customer (no merge). Gives
 *    merges per second and CPU time a touchpoint, each way.
 * 2. The projector's share: a merged profile of n events (two customers of n/2 each) read
 *    again from its member streams and folded by every projection the platform runs, its
 *    records written to an in-memory read store, as the projector does on a merge; the median
 *    of the rounds, per merge and per event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { IncomingTouchpoint, Touchpoint } from '@rapport/domain';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import { PROJECTIONS, readGroupHistories, refoldGroups } from '@rapport/projector';
import { MemoryReadStore } from '@rapport/read-store';
import {
  CustomerStateCache,
  IdentityResolver,
  RecordTouchpointsCommand,
  RecordTouchpointsHandler,
  TouchpointRecorder,
} from '@rapport/recording';
import { median } from '../libs/analytics/src/math/median';
import { writeRefold } from '../libs/projector/src/profiles/refold-profiles';
import { appendDecidedHistory } from '../test/support/decided-history';
import { argument, cpuSecondsSince, seconds } from './bench-support';

const MERGES = Number(argument('--merges') ?? 2_000);
const BATCH = Number(argument('--batch') ?? 100);
const EVENTS = (argument('--events') ?? '100,1000,10000').split(',').map(Number);
const ROUNDS = Number(argument('--rounds') ?? 3);
for (const [name, value] of [
  ['--merges', MERGES],
  ['--batch', BATCH],
  ['--rounds', ROUNDS],
  ...EVENTS.map((n) => ['--events', n] as const),
] as const)
  if (!Number.isInteger(value) || value < 2) throw new Error(`${name} takes a whole number ≥ 2`);

const context = { ingestedAt: '2026-11-27T00:00:00.000Z', correlationId: 'bench-merge' };

function visit(touchpointId: string, anonymousId: string, customerId?: string): IncomingTouchpoint {
  return {
    touchpointId,
    source: 'web',
    ...(customerId ? { customerId } : {}),
    identifiers: [{ type: 'anonymousId', value: anonymousId }],
    type: 'web_visit',
    occurredAt: '2026-11-20T10:00:00.000Z',
    channel: 'web',
    data: { url: 'https://shop.example/' },
  } as IncomingTouchpoint;
}

function writePath(store: EventStore) {
  const handler = new RecordTouchpointsHandler(
    new TouchpointRecorder(store, new CustomerStateCache()),
    new IdentityResolver(store),
  );
  return (touchpoints: IncomingTouchpoint[]) =>
    handler.execute(new RecordTouchpointsCommand(touchpoints, context));
}

async function inBatches(
  record: (touchpoints: IncomingTouchpoint[]) => Promise<unknown>,
  touchpoints: IncomingTouchpoint[],
): Promise<{ secs: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < touchpoints.length; i += BATCH) await record(touchpoints.slice(i, i + BATCH));
  return { secs: seconds(started), cpu: cpuSecondsSince(cpu) };
}

/** One round of part 1 in a fresh store; `mergesFirst` says which kind runs first. */
async function resolverRound(mergesFirst: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-merge-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    const record = writePath(store);
    // Each visitor on a profile of their own, before anything is measured.
    await inBatches(
      record,
      Array.from({ length: MERGES }, (_, i) => visit(`browse-${i}`, `visitor-${i}`)),
    );
    const logins = Array.from({ length: MERGES }, (_, i) =>
      visit(`login-${i}`, `visitor-${i}`, `C-${i}`),
    );
    const links = Array.from({ length: MERGES }, (_, i) =>
      visit(`link-${i}`, `device-${i}`, `D-${i}`),
    );
    const runs: Record<'merge' | 'link', { secs: number; cpu: number }> = {} as never;
    for (const kind of mergesFirst ? (['merge', 'link'] as const) : (['link', 'merge'] as const))
      runs[kind] = await inBatches(record, kind === 'merge' ? logins : links);
    const merged = (await store.readStream(IDENTITY_GRAPH_STREAM)).filter(
      (e) => e.type === 'ProfilesMerged',
    ).length;
    if (merged !== MERGES) throw new Error(`expected ${MERGES} merges, the graph holds ${merged}`);
    return runs;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function purchases(customerId: string, count: number, from: number): Touchpoint[] {
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2025, 0, 1) + (from + i) * 3_600_000).toISOString();
    return {
      touchpointId: `${customerId}-${i}`,
      customerId,
      source: 'pos',
      type: 'purchase',
      occurredAt: at,
      channel: 'store',
      data: {
        orderId: `${customerId}-o${i}`,
        amount: { minor: 1_000 + i, currency: 'EUR' },
        items: [{ sku: 'SKU-1', quantity: 1 }],
      },
    } as Touchpoint;
  });
}

/** Part 2: a merged profile of `events` events read and folded again, as the projector does. */
async function refoldCost(events: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-refold-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    const half = events / 2;
    await appendDecidedHistory(
      store,
      [...purchases('X', half, 0), ...purchases('Y', half, half)],
      '2026-11-27T00:00:00.000Z',
    );
    const regroup = {
      position: (await store.headPosition()) + 1n,
      groups: [{ survivor: 'X', members: ['X', 'Y'] }],
      absorbed: ['Y'],
    };
    const times: { read: number; fold: number; write: number; cpu: number }[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      const readStore = new MemoryReadStore();
      const cpu = process.cpuUsage();
      let started = process.hrtime.bigint();
      const histories = await readGroupHistories(store, regroup);
      const read = seconds(started);
      started = process.hrtime.bigint();
      const outcomes = PROJECTIONS.map((p) => refoldGroups(p, regroup, histories));
      const fold = seconds(started);
      started = process.hrtime.bigint();
      for (const [i, outcome] of outcomes.entries())
        await writeRefold(readStore, PROJECTIONS[i].name, outcome);
      const write = seconds(started);
      if (histories[0].events.length !== events)
        throw new Error(`folded ${histories[0].events.length} events, expected ${events}`);
      // The first round warms the JIT up: not counted.
      if (round > 0) times.push({ read, fold, write, cpu: cpuSecondsSince(cpu) });
    }
    return {
      read: mid(times.map((t) => t.read)),
      fold: mid(times.map((t) => t.fold)),
      write: mid(times.map((t) => t.write)),
      cpu: mid(times.map((t) => t.cpu)),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rounds are never empty: the median is a number. */
const mid = (values: number[]): number => median(values) ?? Number.NaN;

const ms = (secs: number) => (secs * 1_000).toFixed(1);

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const lines: string[] = [];
  const merge = { rate: [] as number[], cpu: [] as number[] };
  const link = { rate: [] as number[], cpu: [] as number[] };
  for (let round = 1; round <= ROUNDS; round++) {
    const runs = await resolverRound(round % 2 === 1);
    merge.rate.push(MERGES / runs.merge.secs);
    merge.cpu.push((runs.merge.cpu / MERGES) * 1e6);
    link.rate.push(MERGES / runs.link.secs);
    link.cpu.push((runs.link.cpu / MERGES) * 1e6);
    const line = `round ${round}: merges ${Math.round(merge.rate.at(-1)!)}/s, CPU ${merge.cpu.at(-1)!.toFixed(0)} µs a merging touchpoint; links only ${Math.round(link.rate.at(-1)!)}/s, CPU ${link.cpu.at(-1)!.toFixed(0)} µs a touchpoint`;
    process.stderr.write(`${line}\n`);
    lines.push(line);
  }
  lines.push(
    `through the resolver (SQLite, ${MERGES} touchpoints a run in batches of ${BATCH}), median of ${ROUNDS}: ` +
      `${Math.round(mid(merge.rate))} merges/s (CPU ${mid(merge.cpu).toFixed(0)} µs each) against ` +
      `${Math.round(mid(link.rate))} link-only touchpoints/s (CPU ${mid(link.cpu).toFixed(0)} µs each)`,
  );
  for (const events of EVENTS) {
    const cost = await refoldCost(events);
    lines.push(
      `re-fold of a merged profile of ${events} events (${PROJECTIONS.length} projections), median of ${ROUNDS}: ` +
        `read ${ms(cost.read)} ms, fold ${ms(cost.fold)} ms, write ${ms(cost.write)} ms, ` +
        `CPU ${ms(cost.cpu)} ms (${((cost.cpu / events) * 1e6).toFixed(1)} µs an event)`,
    );
    process.stderr.write(`${lines.at(-1)}\n`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
