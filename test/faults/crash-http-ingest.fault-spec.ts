import { join } from 'node:path';
import { describeIfAvailable, redisServerInstalled } from '@rapport/test-support';
import { spawnPlatform, type ChildPlatform } from './support/child-platform';
import {
  exactlyOnce,
  readAllEvents,
  sleep,
  touchpointKey,
  viewsMatchRebuild,
} from './support/consistency';
import { privateRedisAvailability, report } from './support/fault-report';
import { privateRedisAndDataDir } from './support/private-redis-and-dir';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint, type TouchpointMessage } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
const CLIENTS = 4;
const CUSTOMERS = 60;
jest.setTimeout(10 * 60_000);

async function post(url: string, child: ChildPlatform, batch: readonly TouchpointMessage[]) {
  return fetch(`${url}/v1/touchpoints`, {
    method: 'POST',
    headers: { ...child.auth('ingest'), 'Content-Type': 'application/json' },
    body: JSON.stringify(batch),
  });
}

describeIfAvailable(
  'crash: HTTP ingest killed mid-request',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    const resources = privateRedisAndDataDir('rapport-fault-http-');

    it(`loses, doubles and hides nothing across ${KILLS} SIGKILLs`, async () => {
      const { redis, dir } = resources;
      const seed = faultSeed(8_001);
      const random = new SeededRandom(seed);
      const env = { DATA_DIR: dir, REDIS_URL: redis.url };
      const dbPath = join(dir, 'events.db');
      const accepted = new Map<string, TouchpointMessage>();
      let unanswered: TouchpointMessage[] = [];
      let sequence = 0;
      let killsInFlight = 0;
      let resent = 0;
      let checkedViews = 0;

      for (let round = 0; round <= KILLS; round++) {
        const child = spawnPlatform(env);
        try {
          const url = await child.ready;

          // Right after the restart: every 202 is there once, a lost answer at most once.
          const before = exactlyOnce(
            await readAllEvents(dbPath),
            new Set(accepted.keys()),
            new Set(unanswered.map(touchpointKey)),
          );
          expect({ round, ...before, events: 0 }).toEqual({
            round,
            events: 0,
            missing: [],
            doubled: [],
            unexpected: [],
          });

          // A client without an answer sends again, as any at-least-once producer does.
          if (unanswered.length) {
            const response = await post(url, child, unanswered);
            expect(response.status).toBe(202);
            for (const t of unanswered) accepted.set(touchpointKey(t), t);
            resent += unanswered.length;
            unanswered = [];
          }
          const events = await readAllEvents(dbPath);
          const after = exactlyOnce(events, new Set(accepted.keys()));
          expect({ round, ...after, events: 0 }).toEqual({
            round,
            events: 0,
            missing: [],
            doubled: [],
            unexpected: [],
          });

          // Every read model equals a fresh fold of all events…
          const views = await viewsMatchRebuild(redis.url, events);
          expect({ round, problems: views.problems }).toEqual({ round, problems: [] });
          checkedViews += views.customers;
          // …and the query API shows each customer every touchpoint it accepted.
          const perCustomer = new Map<string, number>();
          for (const t of accepted.values())
            perCustomer.set(t.customerId, (perCustomer.get(t.customerId) ?? 0) + 1);
          for (const [customerId, count] of perCustomer) {
            const response = await fetch(`${url}/v1/customers/${customerId}`, {
              headers: child.auth('analyst'),
            });
            const body = (await response.json()) as { touchpointCount?: number };
            expect({ customerId, status: response.status, count: body.touchpointCount }).toEqual({
              customerId,
              status: 200,
              count,
            });
          }
          if (round === KILLS) break;

          // Clients post batches back to back; the process dies at a seeded moment.
          let killed = false;
          const failures: string[] = [];
          const client = async () => {
            while (!killed) {
              const batch = Array.from({ length: random.int(1, 40) }, () =>
                randomTouchpoint(random, 'h', ++sequence, CUSTOMERS),
              );
              try {
                const response = await post(url, child, batch);
                await response.arrayBuffer();
                if (response.status === 202)
                  for (const t of batch) accepted.set(touchpointKey(t), t);
                else failures.push(`HTTP ${response.status}`);
              } catch {
                unanswered.push(...batch);
              }
            }
          };
          const running = Array.from({ length: CLIENTS }, client);
          await sleep(random.int(20, 400));
          await child.kill();
          killed = true;
          await Promise.all(running);
          expect(failures).toEqual([]);
          if (unanswered.length) killsInFlight++;
        } finally {
          await child.kill();
        }
      }

      report('crash HTTP ingest', {
        seed,
        kills: KILLS,
        killsWithRequestsInFlight: killsInFlight,
        accepted: accepted.size,
        resentAfterLostAnswer: resent,
        lost: 0,
        doubled: 0,
        viewsComparedWithRebuild: checkedViews,
      });
    });
  },
);
