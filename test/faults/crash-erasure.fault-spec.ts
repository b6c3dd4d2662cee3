import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { customerStreamName } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { findValues, SqliteKeyStore } from '@rapport/privacy';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';
import { spawnCli } from './support/child-platform';
import { report } from './support/fault-report';
import { faultSeed, SeededRandom } from './support/seeded-random';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
/** The erasure steps a kill follows (the CLI logs each): before, between and after its writes. */
const KILL_AFTER = ['stream-read', 'key-destroyed', 'event-appended'] as const;
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

    // Verbose: the CLI logs each step of the erasure and pauses after it, so that the kill,
    // sent on the step's line, lands before the next step (without the pause, 19 of 20
    // erasures had finished before their kill arrived).
    const env = { DATA_DIR: dir, RAPPORT_CLI_VERBOSE: '1', RAPPORT_ERASE_STEP_PAUSE_MS: '3000' };
    const landed = { keyAlive: 0, keyGoneNoEvent: 0, eventWritten: 0, finishedBeforeKill: 0 };
    for (const [i, customerId] of erased.entries()) {
      const cli = spawnCli(['erase', customerId, '--reason', 'fault run'], env);
      const step = KILL_AFTER[i % KILL_AFTER.length];
      await cli.waitForOutput(new RegExp(`erase ${customerId}: ${step}`));
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 200)));
      const before = await Promise.race([cli.exited, Promise.resolve('running')]);
      await cli.kill();
      // Where the kill landed, from what it left: the key, the erasure event.
      const look = new SqliteEventStore({ path: join(dir, 'events.db'), writer: 'inline' });
      const [last] = await look.readStream(customerStreamName(customerId), {
        direction: 'backwards',
        maxCount: 1,
      });
      await look.close();
      const keys = new SqliteKeyStore(join(dir, 'keys.sqlite'));
      const keyAlive = (await keys.getMany([customerId])).has(customerId);
      await keys.close();
      if (before !== 'running') landed.finishedBeforeKill++;
      else if (last.type === 'CustomerErased') landed.eventWritten++;
      else if (keyAlive) landed.keyAlive++;
      else landed.keyGoneNoEvent++;
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
    const killedRunning = KILLS - landed.finishedBeforeKill;
    report('erase killed', { kills: KILLS, killedRunning, ...landed });
    // The kills must land in running erasures: before the key's destruction, between it and
    // the erasure event, and after the event but before the CLI finished.
    expect(killedRunning).toBeGreaterThanOrEqual(Math.ceil(KILLS * 0.8));
    if (KILLS >= KILL_AFTER.length)
      expect(
        Math.min(landed.keyAlive, landed.keyGoneNoEvent, landed.eventWritten),
      ).toBeGreaterThanOrEqual(1);
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
