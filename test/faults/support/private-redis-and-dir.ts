import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type LocalRedisServer } from '@rapport/test-support';

/** What a crash scenario runs its platform children against; set once its suite has begun. */
export interface ScenarioResources {
  /** A Redis of the scenario's own: children killed mid-write leave nothing in anyone else's. */
  readonly redis: LocalRedisServer;
  /** An empty data directory (the event store, keys, ledgers), removed after the suite. */
  readonly dir: string;
}

/**
 * Starts a private Redis and makes a data directory before the suite's tests, and stops and
 * removes them after: call it in the describe block, read the fields inside a test.
 */
export function privateRedisAndDataDir(dirPrefix: string): ScenarioResources {
  const resources: { redis?: LocalRedisServer; dir?: string } = {};
  beforeAll(async () => {
    resources.redis = await startRedisServer();
    resources.dir = mkdtempSync(join(tmpdir(), dirPrefix));
  });
  afterAll(async () => {
    await resources.redis?.stop();
    if (resources.dir) rmSync(resources.dir, { recursive: true, force: true });
  });
  return resources as ScenarioResources;
}
