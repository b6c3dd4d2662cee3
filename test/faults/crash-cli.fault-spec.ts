import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisReadStore } from '@rapport/read-store';
import {
  describeIfAvailable,
  redisServerInstalled,
  startRedisServer,
  type LocalRedisServer,
} from '@rapport/test-support';
import { spawnCli, spawnPlatform } from './support/child-platform';
import {
  eventCounter,
  exactlyOnce,
  readAllEvents,
  readStoredViews,
  rebuildViews,
  sleep,
  touchpointKey,
  viewDifferences,
  viewsMatchRebuild,
  waitUntil,
} from './support/consistency';
import { DirectWriter } from './support/direct-writer';
import { privateRedisAvailability, report } from './support/fault-report';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
jest.setTimeout(10 * 60_000);

describeIfAvailable(
  'crash: CLI replay and import killed midway',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    let redis: LocalRedisServer;
    let dir: string;

    beforeEach(async () => {
      redis = await startRedisServer();
      dir = mkdtempSync(join(tmpdir(), 'rapport-fault-cli-'));
    });
    afterEach(async () => {
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`replay --projection all: the active view equals a rebuild after each of ${KILLS} SIGKILLs`, async () => {
      const seed = faultSeed(8_009);
      const random = new SeededRandom(seed);
      const env = { DATA_DIR: dir, REDIS_URL: redis.url };
      const dbPath = join(dir, 'events.db');
      const writer = new DirectWriter(dbPath);
      let sequence = 0;
      for (let i = 0; i < 5; i++)
        await writer.record(
          Array.from({ length: 3_000 }, () => randomTouchpoint(random, 'r', ++sequence, 2_000)),
        );
      await writer.close();
      // The live view first, as a running platform leaves it.
      const platform = spawnPlatform(env);
      await platform.ready;
      const events = await readAllEvents(dbPath);
      expect((await viewsMatchRebuild(redis.url, events)).problems).toEqual([]);
      await platform.stop();
      const rebuilt = rebuildViews(events);

      const args = ['replay', '--projection', 'all', '--batch-size', '500', '--grace-ms', '0'];
      const started = Date.now();
      const full = spawnCli(args, env);
      expect(await full.exited).toBe(0);
      const fullMs = Date.now() - started;

      const store = new RedisReadStore({ url: redis.url });
      const keys = new Redis(redis.url);
      let midBuild = 0;
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          const cli = spawnCli(args, env);
          await sleep(random.int(200, fullMs));
          await cli.kill();
          if ((await keys.get('rapport:checkpoint:projection-building:customer-view')) !== '-1')
            midBuild++;
          // Queries read the active generation: the old one or the new one, never half of one.
          const problems = viewDifferences(await readStoredViews(store), rebuilt);
          expect({ kill, problems }).toEqual({ kill, problems: [] });
        }
        const last = spawnCli(args, env);
        expect({ exit: await last.exited, output: last.output() }).toMatchObject({ exit: 0 });
        expect(viewDifferences(await readStoredViews(store), rebuilt)).toEqual([]);
      } finally {
        keys.disconnect();
        await store.close();
      }
      report('crash CLI replay', {
        seed,
        kills: KILLS,
        killsMidRebuild: midBuild,
        events: events.length,
        customers: rebuilt.size,
        fullReplayMs: fullMs,
        activeViewEqualsRebuildAfterEveryKill: true,
      });
    });

    it(`import <file>: every line recorded exactly once across ${KILLS} SIGKILLs`, async () => {
      const seed = faultSeed(8_010);
      const random = new SeededRandom(seed);
      const env = { DATA_DIR: dir, REDIS_URL: redis.url };
      const dbPath = join(dir, 'events.db');
      const lines = Array.from({ length: 12_000 }, (_, i) =>
        randomTouchpoint(random, 'i', i + 1, 1_000),
      );
      const file = join(dir, 'history.ndjson');
      writeFileSync(file, lines.map((t) => JSON.stringify(t)).join('\n') + '\n');
      const all = new Set(lines.map(touchpointKey));
      const args = ['import', file, '--batch-size', '500'];
      // The store must exist before the counter can watch it.
      new DirectWriter(dbPath).close();
      let midFile = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const counter = eventCounter(dbPath);
        const start = counter.count();
        if (start >= lines.length) {
          counter.close();
          break;
        }
        const target = start + random.int(1, Math.max(1, Math.min(500, lines.length - start - 1)));
        const cli = spawnCli(args, env);
        try {
          await waitUntil(() => counter.count() >= target, 60_000, 'the kill point', 2);
          await cli.kill();
          if (counter.count() < lines.length) midFile++;
        } finally {
          counter.close();
          await cli.kill();
        }
        const once = exactlyOnce(await readAllEvents(dbPath), new Set(), all);
        expect({ kill, doubled: once.doubled, unexpected: once.unexpected }).toEqual({
          kill,
          doubled: [],
          unexpected: [],
        });
      }
      const last = spawnCli(args, env);
      expect(await last.exited).toBe(0);
      const events = await readAllEvents(dbPath);
      const once = exactlyOnce(events, all);
      expect(once).toMatchObject({ missing: [], doubled: [], unexpected: [] });
      const platform = spawnPlatform(env);
      try {
        await platform.ready;
        expect((await viewsMatchRebuild(redis.url, events, 60_000)).problems).toEqual([]);
      } finally {
        await platform.stop();
      }
      report('crash CLI import', {
        seed,
        kills: KILLS,
        killsMidFile: midFile,
        lines: lines.length,
        recorded: once.events,
        lost: 0,
        doubled: 0,
      });
    });
  },
);
