import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_API_KEYS } from '@rapport/test-support';

const ROOT = join(__dirname, '..', '..', '..');

/** Where the fault suite's global setup compiled the child entry (tsc once per run). */
export const CHILD_BUILD_DIR = join(ROOT, 'dist', 'faults');
const CHILD_ENTRY = join(CHILD_BUILD_DIR, 'test', 'faults', 'support', 'platform.child.js');

export interface ChildPlatform {
  readonly pid: number;
  /** Resolves with the base URL once the platform listens; rejects if it dies first. */
  readonly ready: Promise<string>;
  /** Resolves with the signal or exit code once the process is gone. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  /** SIGKILL: no shutdown hook, no commit, no flush. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful path (hooks run, the consumer leaves its group). */
  stop(): Promise<void>;
  /** Resident set size from /proc, in bytes. */
  rssBytes(): number;
  /** After a full garbage collection in the child: live heap, V8's heap size and RSS. */
  memoryAfterGc(): Promise<MemoryAfterGc>;
  auth(role: keyof typeof TEST_API_KEYS): Record<string, string>;
}

export interface MemoryAfterGc {
  /** Heap used right after a full collection: what the process holds. */
  readonly liveHeapBytes: number;
  /** The heap V8 has sized for itself; it grows ahead of what is live. */
  readonly heapTotalBytes: number;
  readonly rssBytes: number;
}

const CLI_ENTRY = join(CHILD_BUILD_DIR, 'apps', 'cli', 'src', 'main.js');

export interface ChildCli {
  readonly pid: number;
  /** Exit code, or the signal that ended it. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  output(): string;
  /** Resolves true as soon as the output matches (checked on each chunk), false if it exits first. */
  waitForOutput(pattern: RegExp): Promise<boolean>;
  kill(): Promise<void>;
}

/** `rapport <args>` from the same build as the platform child, killable at any moment. */
export function spawnCli(args: readonly string[], env: Record<string, string>): ChildCli {
  if (!existsSync(CLI_ENTRY))
    throw new Error(`${CLI_ENTRY} is missing: run the fault suite through npm run test:faults`);
  const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', CLI_ENTRY, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TS_NODE_BASEURL: CHILD_BUILD_DIR, ...childEnv(env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    for (const watch of watchers) watch();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return {
    pid: child.pid!,
    exited,
    output: () => output,
    waitForOutput: (pattern) =>
      new Promise<boolean>((resolve) => {
        const watch = () => {
          if (!pattern.test(output)) return;
          watchers.delete(watch);
          resolve(true);
        };
        watchers.add(watch);
        watch();
        void exited.then(() => {
          watchers.delete(watch);
          resolve(pattern.test(output));
        });
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Test defaults: known keys, no rate limit, no periodic insight refresh, quiet logs. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return {
    LOG_LEVEL: process.env.RAPPORT_TEST_LOGS ? 'warn' : 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    RAPPORT_API_KEYS: Object.entries(TEST_API_KEYS)
      .map(([role, key]) => `${key}:${role}`)
      .join(','),
    RATE_LIMIT_REQUESTS: '0',
    INSIGHTS_REFRESH_SECONDS: '0',
    ...env,
  };
}

/**
 * Starts the compiled all-in-one platform as a child process. Plain `node` on the tsc output
 * (path aliases through tsconfig-paths with the build directory as base): about 2.5 s to
 * ready, against ~30 s under ts-node, which is what makes twenty kills per scenario cheap.
 */
export function spawnPlatform(env: Record<string, string>): ChildPlatform {
  if (!existsSync(CHILD_ENTRY))
    throw new Error(`${CHILD_ENTRY} is missing: run the fault suite through npm run test:faults`);
  const child: ChildProcess = spawn(
    process.execPath,
    // --expose-gc only makes gc() callable (see memoryAfterGc); collection runs as without it.
    ['--expose-gc', '-r', 'tsconfig-paths/register', CHILD_ENTRY],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_BASEURL: CHILD_BUILD_DIR,
        ...childEnv(env),
      },
      stdio: ['ignore', 'pipe', process.env.RAPPORT_TEST_LOGS ? 'inherit' : 'ignore', 'ipc'],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const memoryProbes: Array<(memory: MemoryAfterGc) => void> = [];
  child.on('message', (memory: MemoryAfterGc) => memoryProbes.shift()?.(memory));
  const ready = new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /^ready (\d+)$/m.exec(seen);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
      if (seen.length > 64_000) seen = seen.slice(-1_000);
    });
    void exited.then((how) => reject(new Error(`the platform child exited (${how}) before ready`)));
  });
  ready.catch(() => {});
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    pid: child.pid!,
    ready,
    exited,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    rssBytes: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status);
      return kb ? Number(kb[1]) * 1024 : 0;
    },
    memoryAfterGc: () =>
      new Promise<MemoryAfterGc>((resolve) => {
        memoryProbes.push(resolve);
        child.send('memory-after-gc');
      }),
    auth: (role) => ({ Authorization: `Bearer ${TEST_API_KEYS[role]}` }),
  };
}
