/**
 * Past dates on a started platform: GET /v1/tiers, /v1/retention and /v1/segments as of dates
 * none of them was asked for before (no kept snapshot answers), each build on its own copy of
 * an event store, the builds asked alternately (which goes first alternates by round), and
 * every answer compared between builds (identical JSON, or the bench says where they differ).
 * Between rounds one purchase is written to each platform (the same one), so that a round
 * after the first also measures a date asked for after a projector write.
 *   npm run bench:as-of -- --events-from <events.db> (keys.sqlite beside it is copied)
 *     [--builds base=<dir>,new=dist/apps/platform]   built platforms (`nest build platform`
 *       output directories) to compare
 *     [--rounds 3] [--timeout-seconds 900]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { argument, platformStartFlags } from './bench-support';

const EVENTS_FROM = argument('--events-from');
const BUILDS = (argument('--builds') ?? 'current=dist/apps/platform')
  .split(',')
  .map((pair) => pair.split('=') as [string, string]);
const ROUNDS = Number(argument('--rounds') ?? 3);
const TIMEOUT_MS = Number(argument('--timeout-seconds') ?? 900) * 1_000;
const ENTRY_IN_BUILD = 'apps/platform/src/main.js';
const ROUTES = ['tiers', 'retention', 'segments'] as const;
/** Fields that say when and how fast an answer was computed, not what it is. */
const VOLATILE = new Set(['computedAt', 'durationMs', 'version']);

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Started {
  readonly build: string;
  readonly child: ChildProcess;
  readonly origin: string;
  readonly auth: { authorization: string };
  readonly dataDir: string;
}

async function start(build: string, buildDir: string, n: number): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-as-of-'));
  copyFileSync(EVENTS_FROM!, join(dataDir, 'events.db'));
  const keys = join(dirname(EVENTS_FROM!), 'keys.sqlite');
  if (existsSync(keys)) copyFileSync(keys, join(dataDir, 'keys.sqlite'));
  const port = 4030 + n * 7 + Math.floor(Math.random() * 6);
  const key = `bench-${randomUUID()}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RAPPORT_API_KEYS: `${key}:admin`,
    RATE_LIMIT_REQUESTS: '0',
  };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [...platformStartFlags(), join(buildDir, ENTRY_IN_BUILD)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    build,
    child,
    origin: `http://127.0.0.1:${port}`,
    auth: { authorization: `Bearer ${key}` },
    dataDir,
  };
}

/** Ready, and its first snapshot saved (the refresher's first pass is not measured). */
async function waitUntilServing(platform: Started): Promise<number> {
  const began = performance.now();
  while (performance.now() - began < TIMEOUT_MS) {
    try {
      const answer = await fetch(`${platform.origin}/v1/tiers`, { headers: platform.auth });
      await answer.arrayBuffer();
      if (answer.ok) return performance.now() - began;
    } catch {
      // not listening yet
    }
    await sleep(1_000);
  }
  throw new Error(`${platform.build}: no snapshot within ${TIMEOUT_MS} ms`);
}

async function timed(platform: Started, path: string): Promise<{ ms: number; body: unknown }> {
  const sent = performance.now();
  const answer = await fetch(`${platform.origin}${path}`, { headers: platform.auth });
  const text = await answer.text();
  const ms = performance.now() - sent;
  if (!answer.ok) throw new Error(`${platform.build} ${path}: ${answer.status} ${text}`);
  return { ms, body: withoutVolatile(JSON.parse(text)) };
}

function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !VOLATILE.has(key))
      .map(([key, item]) => [key, withoutVolatile(item)]),
  );
}

/** The same purchase on every platform, by an existing demo customer; waits until applied. */
async function writeOnePurchase(platforms: readonly Started[], round: number): Promise<void> {
  const touchpoint = {
    touchpointId: `bench-as-of-${round}`,
    source: 'pos',
    customerId: 'C-000001',
    type: 'purchase',
    occurredAt: `2026-0${(round % 9) + 1}-15T12:00:00Z`,
    channel: 'store',
    data: { orderId: `O-bench-as-of-${round}`, amount: { minor: 12_345, currency: 'EUR' } },
  };
  for (const platform of platforms) {
    const written = await fetch(`${platform.origin}/v1/touchpoints`, {
      method: 'POST',
      headers: { ...platform.auth, 'content-type': 'application/json' },
      body: JSON.stringify(touchpoint),
    });
    const { position } = (await written.json()) as { position: string };
    const seen = await fetch(`${platform.origin}/v1/customers/C-000001`, {
      headers: { ...platform.auth, 'X-Min-Position': position },
    });
    await seen.arrayBuffer();
  }
}

function firstDifference(x: unknown, y: unknown, at = ''): string | undefined {
  if (JSON.stringify(x) === JSON.stringify(y)) return undefined;
  if (x && y && typeof x === 'object' && typeof y === 'object')
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const found = firstDifference(
        (x as Record<string, unknown>)[key],
        (y as Record<string, unknown>)[key],
        `${at}/${key}`,
      );
      if (found) return found;
    }
  return `${at || '/'}: ${JSON.stringify(x)?.slice(0, 80)} against ${JSON.stringify(y)?.slice(0, 80)}`;
}

async function main(): Promise<void> {
  if (!EVENTS_FROM) throw new Error('--events-from <events.db> is required');
  const platforms = await Promise.all(BUILDS.map(([build, dir], n) => start(build, dir, n)));
  try {
    for (const platform of platforms)
      log(
        `${platform.build}: serving in ${((await waitUntilServing(platform)) / 1000).toFixed(1)} s`,
      );
    const times = new Map<string, number[]>();
    let differences = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) await writeOnePurchase(platforms, round);
      const order = round % 2 === 0 ? platforms : [...platforms].reverse();
      for (const [r, route] of ROUTES.entries()) {
        // A date per round and route: no snapshot kept from an earlier request answers it.
        const day = 1 + ((round * ROUTES.length + r) % 27);
        const month = 1 + ((round * 5 + r * 2) % 12);
        const asOf = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const answers = new Map<string, unknown>();
        const line: string[] = [];
        for (const platform of order) {
          const { ms, body } = await timed(platform, `/v1/${route}?asOf=${asOf}`);
          answers.set(platform.build, body);
          const key = `${platform.build} ${route}`;
          times.set(key, [...(times.get(key) ?? []), ms]);
          line.push(`${platform.build} ${(ms / 1000).toFixed(2)} s`);
        }
        const [first, ...others] = [...answers.values()];
        const differs = others.map((other) => firstDifference(first, other)).find(Boolean);
        if (differs) differences += 1;
        log(
          `round ${round + 1} ${route}?asOf=${asOf}: ${line.join(', ')} ` +
            `(load ${loadavg()[0].toFixed(1)}) ${differs ? `DIFFERENT at ${differs}` : 'identical'}`,
        );
      }
    }
    for (const [key, list] of times)
      log(`${key}: ${list.map((ms) => (ms / 1000).toFixed(2)).join(' / ')} s`);
    log(differences ? `${differences} answers differ between builds` : 'every answer identical');
  } finally {
    for (const platform of platforms) {
      platform.child.kill('SIGKILL');
      rmSync(platform.dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  log(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
