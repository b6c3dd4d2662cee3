/**
 * Liveness while the platform starts: the built platform on a copy of an event store (its
 * views, and the signal ledger, built from nothing), /health/live probed one request after the
 * other from another process until /health/ready answers. A probe's time is how long the main
 * thread kept the event loop from answering, so the longest probe before ready is the longest
 * stall a Kubernetes liveness probe would have seen (loopback only; bounded by --timeout-seconds).
 *   npm run bench:start-liveness -- --events-from <events.db> (keys.sqlite beside it is copied)
 *     [--builds base=dist/base-platform,new=dist/apps/platform]   built platforms to compare
 *       (each the output directory of `nest build platform`), run alternately
 *     [--rounds 1] [--timeout-seconds 600]
 *     [--profile-start <dir>]   a CPU profile of the main thread from start to ready, and what
 *       held the event loop for 1 s or more (one round, one build: the profile is <dir>/0)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { argument, platformStartFlags } from './bench-support';
import { profilerNodeArgs, profileWritten, summariseLongTasks } from './cpu-profile';

const EVENTS_FROM = argument('--events-from');
const BUILDS = (argument('--builds') ?? 'current=dist/apps/platform')
  .split(',')
  .map((pair) => pair.split('=') as [string, string]);
const ROUNDS = Number(argument('--rounds') ?? 1);
const TIMEOUT_MS = Number(argument('--timeout-seconds') ?? 600) * 1_000;
const ENTRY_IN_BUILD = 'apps/platform/src/main.js';
const STALL_MS = 1_000;
const PROFILE_START_DIR = argument('--profile-start');

interface StartRun {
  readonly build: string;
  readonly listeningMs: number;
  readonly readyMs: number;
  readonly probes: number;
  readonly longestProbeMs: number;
  readonly probesOverStall: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function startOnce(build: string, buildDir: string): Promise<StartRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-start-liveness-'));
  copyFileSync(EVENTS_FROM!, join(dataDir, 'events.db'));
  const keys = join(dirname(EVENTS_FROM!), 'keys.sqlite');
  if (existsSync(keys)) copyFileSync(keys, join(dataDir, 'keys.sqlite'));
  const port = 3990 + Math.floor(Math.random() * 40);
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RAPPORT_API_KEYS: `bench-${randomUUID()}:admin`,
    RATE_LIMIT_REQUESTS: '0',
  };
  delete env.REDIS_URL;
  const began = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(PROFILE_START_DIR ? profilerNodeArgs(PROFILE_START_DIR, { fromStart: true }) : []),
      ...platformStartFlags(),
      join(buildDir, ENTRY_IN_BUILD),
    ],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    let listeningMs = -1;
    let readyMs = -1;
    let probes = 0;
    let longestProbeMs = 0;
    let probesOverStall = 0;
    // Readiness polled on its own, so that a probe's time is only the liveness answer's.
    const readiness = (async () => {
      while (readyMs < 0 && performance.now() - began < TIMEOUT_MS) {
        try {
          if ((await fetch(`${origin}/health/ready`)).ok) readyMs = performance.now() - began;
        } catch {
          // not listening yet
        }
        if (readyMs < 0) await sleep(1_000);
      }
    })();
    while (readyMs < 0 && performance.now() - began < TIMEOUT_MS) {
      const sent = performance.now();
      try {
        const answer = await fetch(`${origin}/health/live`);
        await answer.arrayBuffer();
        const took = performance.now() - sent;
        if (listeningMs < 0) listeningMs = sent - began;
        probes += 1;
        longestProbeMs = Math.max(longestProbeMs, took);
        if (took >= STALL_MS) probesOverStall += 1;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await readiness;
    if (readyMs < 0) throw new Error(`${build}: not ready within ${TIMEOUT_MS} ms`);
    if (PROFILE_START_DIR) {
      child.kill('SIGWINCH');
      log(summariseLongTasks(await profileWritten(PROFILE_START_DIR, 0), STALL_MS));
    }
    return { build, listeningMs, readyMs, probes, longestProbeMs, probesOverStall };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!EVENTS_FROM) throw new Error('--events-from <events.db> is required');
  if (PROFILE_START_DIR) mkdirSync(PROFILE_START_DIR, { recursive: true });
  const runs: StartRun[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const [build, dir] of BUILDS) {
      const load = loadavg().map((l) => l.toFixed(2));
      const run = await startOnce(build, dir);
      runs.push(run);
      log(
        `${build}: listening ${(run.listeningMs / 1_000).toFixed(1)} s, ready ` +
          `${(run.readyMs / 1_000).toFixed(1)} s; /health/live before ready: ${run.probes} ` +
          `answers, longest ${Math.round(run.longestProbeMs)} ms, ${run.probesOverStall} over ` +
          `${STALL_MS} ms (load average at start ${load.join(' ')})`,
      );
    }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
