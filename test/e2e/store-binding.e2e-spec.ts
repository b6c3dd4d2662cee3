import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  startPlatform,
  uniqueRedisKeyPrefix,
  type RunningPlatform,
} from '@rapport/test-support';
import { ensureCliBuilt, rapport } from '../cli/rapport-cli';

const visit = (customerId: string, n: number) => ({
  touchpointId: `web-${customerId}-${n}`,
  source: 'webshop',
  customerId,
  type: 'web_visit',
  occurredAt: '2026-11-01T09:00:00Z',
  channel: 'web',
  data: { url: 'https://shop.example/' },
});

/** Records the visits and reads each customer back once the views include them. */
async function recordAndRead(platform: RunningPlatform, customers: readonly string[]) {
  const write = await request(platform.url)
    .post('/v1/touchpoints')
    .set(platform.auth('ingest'))
    .send(customers.flatMap((id) => [visit(id, 1), visit(id, 2)]))
    .expect(202);
  const position = write.headers['x-position'] as string;
  for (const id of customers)
    await request(platform.url)
      .get(`/v1/customers/${id}`)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', position)
      .expect(200);
  return position;
}

async function readyWithin(platform: RunningPlatform, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const response = await request(platform.url).get('/health/ready');
    if (response.status === 200 || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeIfAvailable(
  'a Redis read store left by another event store',
  redisAvailability(),
  (redisUrl) => {
    const prefix = uniqueRedisKeyPrefix('binding-e2e');
    const redis = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix };
    const dirs: string[] = [];
    const freshDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'rapport-binding-e2e-'));
      dirs.push(dir);
      return dir;
    };
    const platforms: RunningPlatform[] = [];
    const start = async (env: Record<string, string>, dir: string) => {
      const platform = await startPlatform({ ...redis, ...env }, dir);
      platforms.push(platform);
      return platform;
    };

    beforeAll(() => ensureCliBuilt(), 300_000);
    afterAll(async () => {
      for (const platform of platforms) await platform.stop();
      await deleteRedisNamespace(redisUrl, prefix);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('is refused at start, shown by status, and fixed by rapport replay', async () => {
      const first = await start({}, freshDir());
      await recordAndRead(first, ['C-old-1', 'C-old-2', 'C-old-3']);
      await first.stop();

      // A fresh data directory, the same Redis: this store's events 1-6 were "already applied".
      const dir = freshDir();
      const touchpoints = join(dir, 'touchpoints.ndjson');
      writeFileSync(
        touchpoints,
        [visit('C-new-1', 1), visit('C-new-1', 2)].map((t) => JSON.stringify(t)).join('\n') + '\n',
      );
      const imported = await rapport(['import', touchpoints], { ...redis, DATA_DIR: dir });
      expect(imported.code).toBe(0);

      await expect(start({}, dir)).rejects.toThrow(
        /the read store does not belong to this event store: checkpoint "projector" was built from event store [0-9a-f-]{36} up to position 6, not from this event store [0-9a-f-]{36} \(head 2\).*rapport replay --projection all/,
      );

      const status = await rapport(['status'], { ...redis, DATA_DIR: dir });
      // A status that finds the views built from another store fails, so scripts notice.
      expect(status.code).toBe(1);
      expect(status.stderr).toContain('READ_STORE_MISMATCH');
      expect(status.stdout).toMatch(
        /binding\s+MISMATCH: checkpoint "projector" was built from event store/,
      );
      const json = JSON.parse(
        (await rapport(['status', '--json'], { ...redis, DATA_DIR: dir })).stdout,
      );
      expect(json.binding).toMatchObject({
        state: 'mismatch',
        problems: [{ checkpoint: 'projector', reason: 'other-store', position: '6' }],
      });

      const replay = await rapport(['replay', '--projection', 'all', '--grace-ms', '0'], {
        ...redis,
        DATA_DIR: dir,
      });
      expect(replay.code).toBe(0);

      const fixed = await start({}, dir);
      const view = await request(fixed.url)
        .get('/v1/customers/C-new-1')
        .set(fixed.auth('analyst'))
        .set('X-Min-Position', '2')
        .expect(200);
      expect(view.body.touchpointCount).toBe(2);
      await request(fixed.url).get('/v1/customers/C-old-1').set(fixed.auth('analyst')).expect(404);
      await recordAndRead(fixed, ['C-new-2']);
      expect((await readyWithin(fixed, 10_000)).body.details.storeBinding).toMatchObject({
        status: 'up',
        state: 'bound',
      });
      await fixed.stop();
    }, 180_000);

    it('is rebuilt at start with READ_STORE_MISMATCH=rebuild, and readiness and the metric say so', async () => {
      // Redis now belongs to the previous test's store; this one is new.
      const platform = await start({ READ_STORE_MISMATCH: 'rebuild' }, freshDir());
      const ready = await readyWithin(platform, 30_000);
      expect(ready.status).toBe(200);
      expect(ready.body.details.storeBinding).toMatchObject({ status: 'up', state: 'rebuilt' });
      await request(platform.url)
        .get('/v1/customers/C-new-1')
        .set(platform.auth('analyst'))
        .expect(404);
      await recordAndRead(platform, ['C-rebuilt-1']);
      const metrics = await request(platform.url)
        .get('/metrics')
        .set(platform.auth('admin'))
        .expect(200);
      expect(metrics.text).toMatch(/rapport_read_store_binding\{state="rebuilt"\} 1/);
      expect(metrics.text).toMatch(/rapport_read_store_binding\{state="mismatch"\} 0/);
      await platform.stop();
    }, 180_000);
  },
);
