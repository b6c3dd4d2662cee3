import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { spawnPlatform, type ChildPlatform } from './support/child-platform';
import { report } from './support/fault-report';
import { scrapeCounter } from './support/metrics';
import { SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

/** The measured run; 60 s in CI (FAULT_LOAD_SECONDS shortens it while developing). */
const SECONDS = Number(process.env.FAULT_LOAD_SECONDS ?? 60);
const CUSTOMERS = 500;
/**
 * Resident memory may grow by this much over the run: in-memory views of a bounded customer
 * set, SQLite's page cache and V8 growing its heap before it collects (measured 165–205 MB).
 */
const RSS_BOUND_MB = 256;
/**
 * Ingest runs at a fixed rate, so the data recorded (and the memory the views and caches rightly
 * hold for it) is the same however fast the build is: the bound then speaks of leaks, not of
 * speed. Queries run flat out: they add no data.
 */
const INGEST_PER_SECOND = 600;
jest.setTimeout((SECONDS + 120) * 1_000);

describe('load: ingest and queries at once on loopback', () => {
  let child: ChildPlatform | undefined;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-fault-load-'));
  });
  afterAll(async () => {
    await child?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`holds ${SECONDS} s without errors, 5xx or unbounded memory`, async () => {
    // The embedded defaults, as `npm start` runs: SQLite events, in-memory views.
    child = spawnPlatform({ DATA_DIR: dir });
    const url = await child.ready;
    const random = new SeededRandom(8_008);
    let sequence = 0;
    const seed = Array.from({ length: CUSTOMERS }, (_, i) => ({
      ...randomTouchpoint(random, 'l', ++sequence, CUSTOMERS),
      customerId: `C-l-${i + 1}`,
    }));
    const seeded = await fetch(`${url}/v1/touchpoints`, {
      method: 'POST',
      headers: { ...child.auth('ingest'), 'Content-Type': 'application/json' },
      body: JSON.stringify(seed),
    });
    expect(seeded.status).toBe(202);

    const rssBefore = child.rssBytes();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, child!.rssBytes())), 500);
    const ingest = autocannon({
      url,
      connections: 8,
      duration: SECONDS,
      overallRate: INGEST_PER_SECOND,
      requests: [
        {
          method: 'POST',
          path: '/v1/touchpoints',
          headers: { ...child.auth('ingest'), 'content-type': 'application/json' },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify(randomTouchpoint(random, 'l', ++sequence, CUSTOMERS)),
          }),
        },
      ],
    });
    const queries = autocannon({
      url,
      connections: 8,
      duration: SECONDS,
      requests: [
        {
          method: 'GET',
          headers: child.auth('analyst'),
          setupRequest: (request) => ({
            ...request,
            path: `/v1/customers/C-l-${random.int(1, CUSTOMERS)}`,
          }),
        },
      ],
    });
    const [writes, reads] = await Promise.all([ingest, queries]);
    clearInterval(sampler);
    const rssAfter = child.rssBytes();
    const growthMb = (rssPeak - rssBefore) / 2 ** 20;

    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const heapUsedMb =
      (await scrapeCounter(url, child.auth('analyst'), 'rapport_nodejs_heap_size_used_bytes')) /
      2 ** 20;
    for (const [name, result] of [
      ['ingest', writes],
      ['queries', reads],
    ] as const) {
      expect({
        name,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
      }).toEqual({
        name,
        errors: 0,
        timeouts: 0,
        non2xx: 0,
      });
      expect(result.requests.total).toBeGreaterThan(0);
    }
    expect(growthMb).toBeLessThan(RSS_BOUND_MB);
    report('load', {
      seconds: SECONDS,
      ingestRequests: writes.requests.total,
      ingestPerSecond: writes.requests.average,
      ingestP50Ms: writes.latency.p50,
      ingestP99Ms: writes.latency.p99,
      queryRequests: reads.requests.total,
      queryPerSecond: reads.requests.average,
      queryP50Ms: reads.latency.p50,
      queryP99Ms: reads.latency.p99,
      errors: writes.errors + reads.errors,
      non2xx: writes.non2xx + reads.non2xx,
      rssBeforeMb: (rssBefore / 2 ** 20).toFixed(0),
      rssPeakMb: (rssPeak / 2 ** 20).toFixed(0),
      rssAfterMb: (rssAfter / 2 ** 20).toFixed(0),
      rssGrowthMb: growthMb.toFixed(0),
      rssBoundMb: RSS_BOUND_MB,
      heapUsedAfterMb: heapUsedMb.toFixed(0),
    });
  });
});
