import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';

/** A progress bar with throughput, on stderr so the figures on stdout stay clean. */
export function progressBar(label: string, total: number): SingleBar {
  const bar = new SingleBar(
    {
      format: `${label.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta}s`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const started = process.hrtime.bigint();
  bar.start(total, 0, { rate: 0 });
  const update = bar.update.bind(bar);
  bar.update = ((value: number) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
  }) as typeof bar.update;
  return bar;
}

/** The value after `name` on the command line (`--events 1000`), if given. */
export function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * The V8 flags this process runs with (e.g. `--max-semi-space-size=128`, which the npm script
 * passes as the projector service runs), or "V8 defaults": figures depend on them.
 */
export function v8Flags(): string {
  const flags = process.execArgv.filter((flag) => /^--(max|min)-[a-z-]+=/.test(flag));
  return flags.length ? flags.join(' ') : 'V8 defaults';
}

export function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** User and system time of this process, all threads, since `start`. */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

export function perSecond(count: number, secs: number): string {
  return Math.round(count / secs).toLocaleString('en-US');
}

/** Deterministic pseudo-random numbers, so every run measures the same data. */
export { mulberry32 as seededRandom } from '@rapport/analytics';

/** The built platform that `npm start` runs. */
export const PLATFORM_ENTRY = 'dist/apps/platform/apps/platform/src/main.js';

/** The Node flags `npm start` runs the platform with, so that a bench measures the same. */
export function platformStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  const command = pkg.scripts.start.split(' && node ')[1]?.split(' ') ?? [];
  if (command[command.length - 1] !== PLATFORM_ENTRY)
    throw new Error(`npm start no longer runs ${PLATFORM_ENTRY}: ${pkg.scripts.start}`);
  return command.slice(0, -1);
}

export interface BuiltPlatformOptions {
  readonly port: number;
  /** An admin key the bench authenticates with. */
  readonly key: string;
  readonly dataDir: string;
  /** Set on top of the bench's environment; undefined removes a variable. REDIS_URL is removed. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Node flags before `npm start`'s own (profiler, heap size, collector settings). */
  readonly nodeFlags?: readonly string[];
  /** Where the platform's stdout goes (a file descriptor for --trace-gc output); ignored by default. */
  readonly stdout?: number | 'ignore';
  /** Answers 2xx once the platform is what the bench needs (live, ready, a first snapshot). */
  readonly readyPath: string;
  /** Whether `readyPath` needs the key (read routes do, /health/* does not). */
  readonly readyNeedsKey?: boolean;
  readonly timeoutMs: number;
}

/**
 * Starts the built platform as `npm start` runs it, in its own process on `port`, and resolves
 * once `readyPath` answers; kills it and throws after `timeoutMs`.
 */
export async function startBuiltPlatform(options: BuiltPlatformOptions): Promise<ChildProcess> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    RAPPORT_API_KEYS: `${options.key}:admin`,
    RATE_LIMIT_REQUESTS: '0',
    REDIS_URL: undefined,
    ...options.env,
  };
  for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), ...platformStartFlags(), PLATFORM_ENTRY],
    { env, stdio: ['ignore', options.stdout ?? 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${options.port}${options.readyPath}`;
  const headers = options.readyNeedsKey ? { authorization: `Bearer ${options.key}` } : undefined;
  const started = Date.now();
  while (Date.now() - started < options.timeoutMs) {
    try {
      if ((await fetch(url, { headers })).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(
    `the platform did not answer ${options.readyPath} within ${options.timeoutMs} ms`,
  );
}
