import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTOR, type Projector } from '@rapport/projector';
import {
  describeIfAvailable,
  eventually,
  redisServerInstalled,
  startPlatform,
  startRedisServer,
  type LocalRedisServer,
  type RunningPlatform,
} from '@rapport/test-support';
import { readAllEvents, sleep, viewsMatchRebuild } from './support/consistency';
import { privateRedisAvailability, report } from './support/fault-report';
import { SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

jest.setTimeout(120_000);

describeIfAvailable(
  'outage: Redis killed and restarted during projection',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    let redis: LocalRedisServer;
    let platform: RunningPlatform;
    let aof: string;

    beforeAll(async () => {
      aof = mkdtempSync(join(tmpdir(), 'rapport-fault-aof-'));
      // Persistent: a restarted Redis comes back with what it acknowledged, as a real one does.
      redis = await startRedisServer({ appendOnlyDir: aof });
      platform = await startPlatform({ REDIS_URL: redis.url, PROJECTOR_BATCH_SIZE: '100' });
    });
    afterAll(async () => {
      await platform?.destroy();
      await redis?.stop();
      rmSync(aof, { recursive: true, force: true });
    });

    const post = async (body: unknown[]) => {
      const response = await fetch(`${platform.url}/v1/touchpoints`, {
        method: 'POST',
        headers: { ...platform.auth('ingest'), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      return BigInt(((await response.json()) as { position: string }).position);
    };

    it('pauses, retries with backoff, resumes, and the views equal a rebuild', async () => {
      const random = new SeededRandom(8_004);
      let sequence = 0;
      const batch = (n: number) =>
        Array.from({ length: n }, () => randomTouchpoint(random, 'r', ++sequence, 200));
      const projector = platform.app.get<Projector>(PROJECTOR);

      const first = await post(batch(500));
      await eventually(
        async () => expect(projector.position).toBeGreaterThanOrEqual(first),
        15_000,
      );

      await redis.kill();
      const down = Date.now();
      // Ingest does not need the read store: touchpoints keep being accepted.
      let last = first;
      for (let i = 0; i < 8; i++) last = await post(batch(250));
      await eventually(async () => expect(projector.status().state).toBe('retrying'), 10_000);
      const query = await fetch(`${platform.url}/v1/customers/C-r-1`, {
        headers: platform.auth('analyst'),
      });
      expect(query.status).toBe(503);
      expect(query.headers.get('retry-after')).toBeTruthy();
      const positionDuringOutage = projector.position;
      await sleep(2_000);
      expect(projector.position).toBe(positionDuringOutage);

      await redis.restart();
      const up = Date.now();
      await eventually(async () => expect(projector.position).toBeGreaterThanOrEqual(last), 30_000);
      const recoveredMs = Date.now() - up;
      expect(projector.status().state).toBe('live');

      const events = await readAllEvents(join(platform.dataDir, 'events.db'));
      expect(events).toHaveLength(sequence);
      const check = await viewsMatchRebuild(redis.url, events);
      expect(check.problems).toEqual([]);
      report('outage Redis', {
        outageMs: up - down,
        acceptedDuringOutage: 2_000,
        projectorState: 'retrying→live',
        queryDuringOutage: '503+Retry-After',
        caughtUpAfterRestartMs: recoveredMs,
        events: events.length,
        viewsEqualRebuild: check.customers,
      });
    });
  },
);
