import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { customerIdFromStream, customerStreamName } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import { customerViewProjection } from '@rapport/projections';
import { RedisReadStore } from '@rapport/read-store';
import { describeIfAvailable, redisServerInstalled } from '@rapport/test-support';
import { spawnPlatform, type ChildPlatform } from './support/child-platform';
import {
  readAllEvents,
  readStoredViews,
  rebuildViews,
  viewDifferences,
  viewsMatchRebuild,
  waitUntil,
} from './support/consistency';
import { DirectWriter } from './support/direct-writer';
import { privateRedisAvailability, report } from './support/fault-report';
import { privateRedisAndDataDir } from './support/private-redis-and-dir';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

const KILLS = Math.min(Number(process.env.FAULT_KILLS ?? 20), 10);
const PER_ROUND = 1_000;
const CUSTOMERS = 100;
const POISONED = 'C-x-1';
jest.setTimeout(10 * 60_000);

/**
 * A poison event: a hand edit of the SQLite file took `data.amount` off a purchase (the
 * incident of issue 27 had the same event come in past the edge). The projector must park that
 * one customer and go on with the others, stay parked across SIGKILLs mid-catch-up without
 * counting any later event twice, and be cleared by a rebuild once the event is mended: the
 * operator puts back the data the hand edit took (from the backup, or the producer's record),
 * the same route that broke it, and replays. An upcaster would be the route for a shape an
 * older writer produced on purpose; a deleted amount is not a shape, it is damage.
 */
describeIfAvailable(
  'poison: an event the projector cannot apply',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    const resources = privateRedisAndDataDir('rapport-fault-poison-');

    it(`keeps one customer parked across ${KILLS} SIGKILLs, and a rebuild after the mend clears it`, async () => {
      const { redis, dir } = resources;
      const seed = faultSeed(8_027);
      const random = new SeededRandom(seed);
      const dbPath = join(dir, 'events.db');
      const env = { DATA_DIR: dir, REDIS_URL: redis.url, PROJECTOR_BATCH_SIZE: '50' };
      const writer = new DirectWriter(dbPath);
      const checkpoints = new Redis(redis.url);
      const checkpoint = async () =>
        BigInt((await checkpoints.get('rapport:checkpoint:projector')) ?? -1);
      let sequence = 0;
      const touchpoints = () =>
        Array.from({ length: PER_ROUND }, () =>
          randomTouchpoint(random, 'x', ++sequence, CUSTOMERS),
        );

      // The purchase the hand edit breaks, before any projector has read it.
      await writer.record([
        ...touchpoints(),
        {
          touchpointId: 'pos-poison-1',
          source: 'pos',
          customerId: POISONED,
          type: 'purchase',
          occurredAt: '2026-05-01T10:00:00Z',
          channel: 'store',
          data: { orderId: 'O-poison', amount: { minor: 4999, currency: 'EUR' } },
        },
        ...touchpoints(),
      ]);
      const poison = (await readAllEvents(dbPath)).find(
        (e) => e.data.touchpointId === 'pos-poison-1',
      )!.position;
      const original = editEvent(dbPath, poison, ({ amount: _amount, ...rest }) => rest);

      let child: ChildPlatform | undefined;
      let killsMidCatchUp = 0;
      let checks = 0;
      try {
        for (let round = 0; round <= KILLS; round++) {
          child = spawnPlatform(env);
          const url = await child.ready;
          const events = await readAllEvents(dbPath);
          const check = await parkedAndOthersCurrent(redis.url, events, poison);
          expect({ round, ...check }).toEqual({
            round,
            problems: [],
            stale: {
              position: poison.toString(),
              eventType: 'PurchaseCompleted',
              error: expect.stringContaining("reading 'currency'") as unknown,
              eventsNotApplied: eventsAfter(events, poison),
            },
          });
          expect(await parkedListed(url, child)).toEqual({ count: 1, customer: POISONED });
          expect(await readiness(url)).toBe('degraded');
          checks++;
          if (round === KILLS) break;

          const before = events[events.length - 1].position;
          await writer.record(touchpoints());
          const target = before + BigInt(random.int(1, PER_ROUND - 1));
          await waitUntil(async () => (await checkpoint()) >= target, 30_000, 'the kill point', 1);
          await child.kill();
          const at = await checkpoint();
          if (at > before && at < before + BigInt(PER_ROUND)) killsMidCatchUp++;
        }

        // The mend, then a rebuild of every view that parked the customer: a fresh generation
        // with nothing parked replaces each old one.
        editEvent(dbPath, poison, () => original);
        const url = await child!.ready;
        const parkedIn = await viewsWithParked(url, child!);
        expect(parkedIn).toContain('customer-view');
        for (const name of parkedIn) {
          const started = await fetch(`${url}/v1/projections/${name}/rebuild`, {
            method: 'POST',
            headers: child!.auth('admin'),
          });
          expect(started.status).toBe(202);
        }
        await waitUntil(
          async () => (await viewsWithParked(url, child!)).length === 0,
          60_000,
          'the rebuilds to clear the parked customer',
          100,
        );
        await waitUntil(async () => (await readiness(url)) === 'ok', 10_000, 'readiness ok', 100);
        const mended = await viewsMatchRebuild(redis.url, await readAllEvents(dbPath));
        expect(mended.problems).toEqual([]);
      } finally {
        await child?.kill();
        checkpoints.disconnect();
        await writer.close();
      }
      report('poison event', {
        seed,
        kills: KILLS,
        killsMidCatchUp,
        events: sequence + 1,
        parkedChecks: checks,
        clearedByRebuild: true,
      });
    });
  },
);

/** Replaces the stored data of the event at `position`; returns what was there. */
function editEvent(
  dbPath: string,
  position: bigint,
  change: (data: Record<string, unknown>) => Record<string, unknown>,
): Record<string, unknown> {
  const db = new Database(dbPath);
  try {
    const row = db.prepare('SELECT data FROM events WHERE position = ?').get(position) as {
      data: string;
    };
    const data = JSON.parse(row.data) as Record<string, unknown>;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify(change(data)),
      position,
    );
    return data;
  } finally {
    db.close();
  }
}

function eventsAfter(events: readonly RecordedEvent[], poison: bigint): number {
  const stream = customerStreamName(POISONED);
  return events.filter((e) => e.streamName === stream && e.position > poison).length;
}

/**
 * Once the projector reached the head: every other customer's view equals a fresh fold of its
 * events, and the poisoned one stopped at the poison event (its mark returned).
 */
async function parkedAndOthersCurrent(
  redisUrl: string,
  events: readonly RecordedEvent[],
  poison: bigint,
): Promise<{ problems: string[]; stale: unknown }> {
  const store = new RedisReadStore({ url: redisUrl });
  try {
    const head = events[events.length - 1].position;
    await waitUntil(
      async () => ((await store.getCheckpoint('projector')) ?? -1n) >= head,
      30_000,
      'the projector to reach the head',
    );
    const others = events.filter((e) => customerIdFromStream(e.streamName) !== POISONED);
    const stored = await readStoredViews(store);
    const poisoned = stored.get(POISONED);
    stored.delete(POISONED);
    const { stale, ...before } = poisoned?.value as { stale: unknown };
    const upToPoison = events.filter(
      (e) => customerIdFromStream(e.streamName) === POISONED && e.position < poison,
    );
    const problems = viewDifferences(stored, rebuildViews(others));
    const expected =
      rebuildViews(upToPoison).get(POISONED)?.value ??
      customerViewProjection.initialState(POISONED);
    if (JSON.stringify(before) !== JSON.stringify(expected))
      problems.push(`${POISONED}: not the view of its events before the poison`);
    return { problems, stale };
  } finally {
    await store.close();
  }
}

async function parkedListed(url: string, child: ChildPlatform) {
  const response = await fetch(`${url}/v1/projections/status`, { headers: child.auth('analyst') });
  const body = (await response.json()) as {
    projections: Array<{ parked: { count: number; customers: Array<{ customerId: string }> } }>;
  };
  const { parked } = body.projections[0];
  return parked.count ? { count: parked.count, customer: parked.customers[0].customerId } : parked;
}

async function viewsWithParked(url: string, child: ChildPlatform): Promise<string[]> {
  const response = await fetch(`${url}/v1/projections/status`, { headers: child.auth('analyst') });
  const body = (await response.json()) as {
    projections: Array<{ name: string; parked: { count: number } }>;
  };
  return body.projections.filter((p) => p.parked.count > 0).map((p) => p.name);
}

async function readiness(url: string): Promise<string> {
  const response = await fetch(`${url}/health/ready`);
  return `${response.status === 200 ? '' : response.status}${((await response.json()) as { status: string }).status}`;
}
