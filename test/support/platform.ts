import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { loadConfig, type ApiRole } from '@rapport/config';
import { createHttpApp, serveDashboard } from '@rapport/http';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { recordRoutes } from './routes';

/** Known keys, one per role, configured through RAPPORT_API_KEYS unless a test overrides it. */
export const TEST_API_KEYS: Readonly<Record<ApiRole, string>> = {
  admin: 'test-admin-key-0123456789abcdef',
  analyst: 'test-analyst-key-0123456789abcdef',
  ingest: 'test-ingest-key-0123456789abcdef',
  segment: 'test-segment-write-key-0123456789',
};

export interface StartPlatformOptions {
  /** Where the JSON logs go (LOG_LEVEL must not be silent for anything to arrive). */
  readonly logs?: Writable;
}

export interface RunningPlatform {
  readonly url: string;
  readonly keys: Readonly<Record<ApiRole, string>>;
  /** Headers that authenticate as `role`: `.set(platform.auth('analyst'))`. */
  auth(role: ApiRole): Record<string, string>;
  readonly app: INestApplication;
  readonly dataDir: string;
  /** Stops the app; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Stops the app and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * Starts the all-in-one platform in this process on an ephemeral port, exactly as `npm start`
 * builds it (same module, same HTTP edge), with the given environment on top of test defaults.
 */
export async function startPlatform(
  env: Record<string, string> = {},
  dataDir?: string,
  options: StartPlatformOptions = {},
): Promise<RunningPlatform> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'rapport-e2e-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    RAPPORT_API_KEYS: Object.entries(TEST_API_KEYS)
      .map(([role, key]) => `${key}:${role}`)
      .join(','),
    // Tests send bursts; the rate-limit spec switches it on with a small budget.
    RATE_LIMIT_REQUESTS: '0',
    RATE_LIMIT_UNAUTHENTICATED_REQUESTS: '0',
    ...env,
  });
  const app = await createHttpApp(PlatformModule.forRoot(config, options.logs), config);
  recordRoutes(app);
  try {
    // As `npm start` does: the dashboard at / when it is built (browser tests build it first).
    await serveDashboard(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // A start refused by a start-up hook (say, a read store of another event store) leaves
    // the stores open: close them, or they would keep the test process alive.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    keys: TEST_API_KEYS,
    auth: (role) => ({ Authorization: `Bearer ${TEST_API_KEYS[role]}` }),
    app,
    dataDir: dir,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Retries an assertion until it passes or the time is up (projections are asynchronous). */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 5_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
