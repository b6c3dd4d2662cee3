import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { customerStreamName } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { findValues } from '@rapport/privacy';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';
import { spawnCli } from './support/child-platform';
import { report } from './support/fault-report';
import { faultSeed, SeededRandom } from './support/seeded-random';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
jest.setTimeout(10 * 60_000);

/** Each customer's own personal values: a finding names whose they were. */
function secretsOf(customerId: string): string[] {
  return [
    `https://shop.test/me?email=${customerId}.person%40mail.test`,
    `${customerId} Person rang about a parcel`,
  ];
}

function touchpointsOf(customerId: string) {
  const [url, reason] = secretsOf(customerId);
  const base = { source: 'fault', customerId, channel: 'web' };
  return [
    {
      ...base,
      touchpointId: `${customerId}-w`,
      type: 'web_visit',
      occurredAt: '2026-10-01T10:00:00Z',
      data: { url },
    },
    {
      ...base,
      touchpointId: `${customerId}-p`,
      type: 'purchase',
      occurredAt: '2026-10-02T10:00:00Z',
      channel: 'store',
      data: { orderId: `O-${customerId}`, amount: { minor: 2_500, currency: 'EUR' } },
    },
    {
      ...base,
      touchpointId: `${customerId}-c`,
      type: 'call',
      occurredAt: '2026-10-03T10:00:00Z',
      channel: 'phone',
      data: { direction: 'inbound', durationSeconds: 30, reason },
    },
  ];
}

describe('crash: rapport erase killed midway', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-fault-erase-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(`after ${KILLS} SIGKILLs and a finishing run each: nothing personal left, nothing else lost`, async () => {
    const random = new SeededRandom(faultSeed(34_034));
    const erased = Array.from({ length: KILLS }, (_, i) => `C-ERASE-${i}`);
    const kept = Array.from({ length: 5 }, (_, i) => `C-KEEP-${i}`);
    let platform: RunningPlatform = await startPlatform({}, dir);
    await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send([...erased, ...kept].flatMap(touchpointsOf))
      .expect(202);
    await platform.stop();

    const env = { DATA_DIR: dir };
    const killedAt: string[] = [];
    let eventBeforeFinish = 0;
    for (const customerId of erased) {
      const cli = spawnCli(['erase', customerId, '--reason', 'fault run'], env);
      // The CLI needs about a second to start and open the stores: kills land before, between
      // and after the erasure event and the key's destruction.
      await new Promise((resolve) => setTimeout(resolve, random.int(500, 6_000)));
      const before = await Promise.race([cli.exited, Promise.resolve('running')]);
      await cli.kill();
      killedAt.push(before === 'running' ? 'killed' : `exited ${String(before)}`);
      // Where the kill landed: the erasure event already written (or not) before the finish.
      const look = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
      const [last] = await look.readStream(customerStreamName(customerId), {
        direction: 'backwards',
        maxCount: 1,
      });
      await look.close();
      if (last.type === 'CustomerErased') eventBeforeFinish++;
      const finish = spawnCli(['erase', customerId, '--reason', 'fault run'], env);
      expect({ customerId, exit: await finish.exited, output: finish.output() }).toMatchObject({
        exit: 0,
      });
      const values = join(dir, '..', `${customerId}.values`);
      writeFileSync(values, secretsOf(customerId).join('\n') + '\n');
      const verify = spawnCli(['erase', '--verify', customerId, '--values', values], env);
      expect({ customerId, exit: await verify.exited, output: verify.output() }).toMatchObject({
        exit: 0,
      });
      rmSync(values);
    }

    // One erasure event per erased customer, every touchpoint still there.
    const store = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
    for (const customerId of [...erased, ...kept]) {
      const types = (await store.readStream(customerStreamName(customerId))).map((e) => e.type);
      const expected = ['WebVisitRecorded', 'PurchaseCompleted', 'CallLogged'];
      expect({ customerId, types }).toEqual({
        customerId,
        types: erased.includes(customerId) ? [...expected, 'CustomerErased'] : expected,
      });
    }
    await store.close();

    // Restarted: erased views keep their revenue, kept customers keep their data.
    platform = await startPlatform({}, dir);
    try {
      for (const customerId of erased) {
        const view = await waitForView(platform, customerId);
        expect(view).toMatchObject({ netRevenue: { EUR: 2_500 }, erasedAt: expect.any(String) });
        expect(JSON.stringify(view)).not.toContain('Person');
      }
      for (const customerId of kept) {
        const exported = await request(platform.url)
          .get(`/v1/customers/${customerId}/export`)
          .set(platform.auth('admin'))
          .expect(200);
        expect(exported.body.events[2].data.reason).toBe(secretsOf(customerId)[1]);
      }
    } finally {
      await platform.stop();
    }
    const leaks = readdirSync(dir).flatMap((name) =>
      findValues(name, readFileSync(join(dir, name)), erased.flatMap(secretsOf)),
    );
    expect(leaks).toEqual([]);
    report('erase killed', {
      kills: KILLS,
      killedRunning: killedAt.filter((k) => k === 'killed').length,
      finishedBeforeKill: killedAt.filter((k) => k !== 'killed').length,
      erasureEventWrittenBeforeFinish: eventBeforeFinish,
    });
  });
});

async function waitForView(platform: RunningPlatform, customerId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .set(platform.auth('analyst'));
    if (res.status === 200 && res.body.erasedAt) return res.body;
    if (Date.now() > deadline) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
