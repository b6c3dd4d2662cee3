import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { Availability } from './availability';
import { dockerAvailable } from './docker';

export type ResolvedRedis =
  | {
      readonly kind: 'available';
      readonly via: string;
      readonly value: string;
      readonly stop: () => Promise<void>;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

const REDIS_IMAGE = process.env.REDIS_IMAGE ?? 'redis:7';
const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 };

/**
 * A Redis URL, in the order ARCHITECTURE.md gives: REDIS_URL, then testcontainers when a Docker
 * engine answers, then the local redis-server at 127.0.0.1:6379, then a redis-server this
 * helper starts on a free port. Tests share whichever it is and keep apart by key prefix.
 */
export async function resolveRedis(): Promise<ResolvedRedis> {
  if (process.env.REDIS_URL) {
    return { kind: 'available', via: 'REDIS_URL', value: process.env.REDIS_URL, stop: noop };
  }
  if (await dockerAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(REDIS_IMAGE)
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start();
    return {
      kind: 'available',
      via: `testcontainers (${REDIS_IMAGE})`,
      value: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
      stop: async () => void (await container.stop()),
    };
  }
  if (await redisAnswers(LOCAL_REDIS.host, LOCAL_REDIS.port)) {
    return {
      kind: 'available',
      via: `local redis-server (${LOCAL_REDIS.host}:${LOCAL_REDIS.port})`,
      value: `redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}`,
      stop: noop,
    };
  }
  if (!redisServerInstalled()) {
    return {
      kind: 'unavailable',
      reason:
        'REDIS_URL is not set, no Docker engine answers for testcontainers, nothing answers ' +
        `on ${LOCAL_REDIS.host}:${LOCAL_REDIS.port} and there is no redis-server to start`,
    };
  }
  try {
    const server = await startRedisServer();
    return {
      kind: 'available',
      via: `redis-server started by the test helper (port ${server.port})`,
      value: server.url,
      stop: () => server.stop(),
    };
  } catch (error) {
    return {
      kind: 'unavailable',
      reason: `no Redis was reachable and redis-server did not start: ${String(error)}`,
    };
  }
}

/** What global-setup resolved for Redis (read synchronously at collection time). */
export function redisAvailability(): Availability<string> {
  const url = process.env.RAPPORT_TEST_REDIS_URL;
  if (url)
    return {
      available: true,
      via: process.env.RAPPORT_TEST_REDIS_VIA ?? 'environment',
      value: url,
    };
  return {
    available: false,
    reason: process.env.RAPPORT_TEST_REDIS_SKIP ?? 'global setup did not resolve Redis',
  };
}

/** A key namespace of its own per test file, so parallel Jest workers never meet. */
export function uniqueRedisKeyPrefix(label: string): string {
  return `rapport-test:${label}:${randomUUID()}:`;
}

/** Removes every key of a test namespace (SCAN, never KEYS: the server may be shared). */
export async function deleteRedisNamespace(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface LocalRedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL: an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty unless started with `appendOnlyDir`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * Keep data across kill/restart: an append-only file in this directory, fsynced on every
   * write, so a SIGKILLed server comes back with everything it acknowledged.
   */
  readonly appendOnlyDir?: string;
}

/**
 * A private redis-server on a free port that a test may kill and restart: memory-only (it
 * restarts empty) unless `appendOnlyDir` is given.
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<LocalRedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const persistence = options.appendOnlyDir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.appendOnlyDir]
    : ['--appendonly', 'no'];
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 5_000;
    while (!(await redisAnswers('127.0.0.1', port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await sleep(50);
    }
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start, stop: kill };
}

/** Sends PING over a bare socket: no client library needed before a test worker starts. */
export function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function noop(): Promise<void> {}
