import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describeIfAvailable, redisServerInstalled } from '@rapport/test-support';
import { spawnPlatform } from './support/child-platform';
import { readAllEvents, viewsMatchRebuild, waitUntil } from './support/consistency';
import { DirectWriter } from './support/direct-writer';
import { privateRedisAvailability, report } from './support/fault-report';
import { privateRedisAndDataDir } from './support/private-redis-and-dir';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
const PER_ROUND = 3_000;
const CUSTOMERS = 300;
jest.setTimeout(10 * 60_000);

describeIfAvailable(
  'crash: projector killed mid-batch',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    const resources = privateRedisAndDataDir('rapport-fault-projector-');

    it(`keeps every view equal to a fresh rebuild across ${KILLS} SIGKILLs`, async () => {
      const { redis, dir } = resources;
      const seed = faultSeed(8_003);
      const random = new SeededRandom(seed);
      const dbPath = join(dir, 'events.db');
      // Small batches: many checkpoint writes per round, so a kill lands between them.
      const env = { DATA_DIR: dir, REDIS_URL: redis.url, PROJECTOR_BATCH_SIZE: '100' };
      const writer = new DirectWriter(dbPath);
      const checkpoints = new Redis(redis.url);
      const checkpoint = async () =>
        BigInt((await checkpoints.get('rapport:checkpoint:projector')) ?? -1);
      let sequence = 0;
      let killsMidProjection = 0;
      let views = 0;
      try {
        for (let round = 0; round <= KILLS; round++) {
          const child = spawnPlatform(env);
          try {
            await child.ready;
            const events = await readAllEvents(dbPath);
            const check = await viewsMatchRebuild(redis.url, events);
            expect({ round, problems: check.problems }).toEqual({ round, problems: [] });
            views += check.customers;
            if (round === KILLS) break;

            const before = events.length ? events[events.length - 1].position : -1n;
            await writer.record(
              Array.from({ length: PER_ROUND }, () =>
                randomTouchpoint(random, 'p', ++sequence, CUSTOMERS),
              ),
            );
            // Seeded in positions: the kill comes once the projector got that far.
            const target = before + BigInt(random.int(1, PER_ROUND - 1));
            await waitUntil(
              async () => (await checkpoint()) >= target,
              30_000,
              'the kill point',
              1,
            );
            await child.kill();
            const at = await checkpoint();
            if (at > before && at < before + BigInt(PER_ROUND)) killsMidProjection++;
          } finally {
            await child.kill();
          }
        }
      } finally {
        checkpoints.disconnect();
        await writer.close();
      }
      report('crash projector', {
        seed,
        kills: KILLS,
        killsMidCatchUp: killsMidProjection,
        events: sequence,
        viewsComparedWithRebuild: views,
      });
    });
  },
);
