import { request as httpRequest } from 'node:http';
import { parse } from 'csv-parse/sync';
import { Redis } from 'ioredis';
import {
  describeIfAvailable,
  eventually,
  redisServerInstalled,
  startPlatform,
  startRedisServer,
  type LocalRedisServer,
  type RunningPlatform,
} from '@rapport/test-support';
import { privateRedisAvailability, report } from './support/fault-report';

/**
 * Injection through paths, queries and exported cells, against the platform on the Redis read
 * store (where a customer id becomes part of a key and `*` would be a pattern). Who may call
 * what (401/403 on every route), 413 and 429 are proven route by route in
 * test/e2e/api-access.e2e-spec.ts, which `npm test` runs; not repeated here.
 */
const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1:A9)'];

const PATH_PROBES = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '..',
  '*',
  '%2A',
  'C-inj-*',
  'C-inj-?',
  'C-inj-[12]',
  '%7BC-inj-1%7D',
  'C-inj-1%00',
  'C-inj-1%0d%0aSet-Cookie:%20x=1',
  "C-inj-1'%20OR%20'1'='1",
  'C-inj-1%20',
  '%E2%80%AE1-jni-C',
  'rapport:record:customer-view:{C-inj-1}',
];

const QUERY_PROBES = [
  '/v1/customers?cursor=*',
  '/v1/customers?cursor=..%2F..%2F',
  '/v1/customers?cursor=%7B%7D',
  '/v1/customers?limit=-1',
  '/v1/customers?limit=1e9',
  '/v1/customers?tier=*',
  '/v1/customers?format=../../etc/passwd',
  '/v1/customers?lastSeenFrom=*',
  '/v1/customers/C-inj-1/timeline?cursor=*',
  '/v1/customers/C-inj-1/timeline?type=*',
  '/v1/customers/C-inj-1/timeline?from=../..',
  '/v1/customers/C-inj-1?asOf=*',
  '/v1/at-risk?limit=*',
  '/v1/tiers?asOf=%00',
];

describeIfAvailable(
  'injection through paths, queries and exported cells',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    let redis: LocalRedisServer;
    let platform: RunningPlatform;

    beforeAll(async () => {
      redis = await startRedisServer();
      platform = await startPlatform({ REDIS_URL: redis.url });
      const touchpoints = FORMULAS.flatMap((formula, i) => [
        {
          touchpointId: `${formula.slice(0, 1)}inj-${i}`,
          source: 'cc',
          customerId: `C-inj-${i + 1}`,
          type: 'call',
          occurredAt: '2026-05-01T10:00:00Z',
          channel: 'phone',
          data: { direction: 'inbound', durationSeconds: 30, reason: formula, outcome: formula },
        },
        {
          touchpointId: `inj-order-${i}`,
          source: 'pos',
          customerId: `C-inj-${i + 1}`,
          type: 'purchase',
          occurredAt: '2026-05-02T10:00:00Z',
          channel: 'store',
          data: { orderId: formula, amount: { minor: 1000 + i, currency: 'EUR' } },
        },
        {
          touchpointId: `inj-complaint-${i}`,
          source: 'cc',
          customerId: `C-inj-${i + 1}`,
          type: 'complaint',
          occurredAt: '2026-05-03T10:00:00Z',
          channel: 'phone',
          data: { complaintId: formula, category: formula },
        },
      ]);
      const response = await fetch(`${platform.url}/v1/touchpoints`, {
        method: 'POST',
        headers: { ...platform.auth('ingest'), 'Content-Type': 'application/json' },
        body: JSON.stringify(touchpoints),
      });
      expect(response.status).toBe(202);
      const { position } = (await response.json()) as { position: string };
      await eventually(async () => {
        const view = await fetch(`${platform.url}/v1/customers/C-inj-4`, {
          headers: { ...platform.auth('analyst'), 'X-Min-Position': position },
        });
        expect(view.status).toBe(200);
      }, 10_000);
      // The insights refresher writes its first snapshot within a second or so of the projector
      // catching up: a background write, not a read's. Let it land before the probes compare
      // the key space, or the comparison depends on how fast ingest was.
      const redisKeys = new Redis(redis.url);
      try {
        await eventually(
          async () => expect(await redisKeys.exists('rapport:record:insights:{snapshot}')).toBe(1),
          10_000,
        );
      } finally {
        redisKeys.disconnect();
      }
    });
    afterAll(async () => {
      await platform?.destroy();
      await redis?.stop();
    });

    const get = (path: string, accept = 'application/json') =>
      fetch(`${platform.url}${path}`, { headers: { ...platform.auth('admin'), Accept: accept } });

    it('answers path and query probes with 400 or 404, never data of another key, never 5xx', async () => {
      const keys = new Redis(redis.url);
      try {
        const before = (await keys.keys('*')).sort();
        const answers: string[] = [];
        const paths = PATH_PROBES.flatMap((probe) => [
          `/v1/customers/${probe}`,
          `/v1/customers/${probe}/timeline`,
        ]);
        for (const path of paths) {
          const response = await get(path);
          const body = await response.text();
          answers.push(`${response.status} ${path}`);
          expect({
            path,
            status: response.status,
            refused: [400, 404].includes(response.status),
          }).toMatchObject({ path, refused: true });
          // The problem echoes the path as `instance`; no record's content may come back.
          expect(body).not.toMatch(/touchpointCount|HYPERLINK|SUM\(/);
          expect(response.headers.get('set-cookie')).toBeNull();
        }
        for (const path of QUERY_PROBES) {
          const response = await get(path);
          answers.push(`${response.status} ${path}`);
          expect({ path, status: response.status, handled: response.status < 500 }).toMatchObject({
            path,
            handled: true,
          });
        }
        // Reads wrote nothing and matched no pattern: the key space is as it was.
        expect((await keys.keys('*')).sort()).toEqual(before);
        report('injection paths and queries', {
          probes: paths.length + QUERY_PROBES.length,
          serverErrors: 0,
          redisKeysChanged: 0,
        });
      } finally {
        keys.disconnect();
      }
    });

    it('refuses a deeply nested body without a key before reading it, and stays live meanwhile', async () => {
      const bigParses: number[] = [];
      const jsonParse = JSON.parse.bind(JSON);
      const spy = jest.spyOn(JSON, 'parse').mockImplementation((text: string, reviver) => {
        if (typeof text === 'string' && text.length > 1024 * 1024) bigParses.push(text.length);
        return jsonParse(text, reviver);
      });
      const declared = 5 * 1024 * 1024;
      const answers: string[] = [];
      try {
        // A Segment route may find its key in the body, but reads no body over 512 KiB for one.
        for (const path of [
          '/v1/touchpoints',
          '/v1/customers/C-inj-1',
          '/v1/not-a-route',
          '/v1/segment/batch',
        ]) {
          // Only the first 64 KiB of the 5 MiB declared are sent: an answer can only come if
          // nothing waited for the body.
          const upload = httpRequest(new URL(path, platform.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': String(declared) },
          });
          const status = new Promise<number>((resolve, reject) => {
            upload.on('response', (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            });
            upload.on('error', reject);
            // Generous: only an edge that waits for the rest of the body never answers at all.
            setTimeout(
              () => reject(new Error(`${path}: no answer while the body was still being sent`)),
              30_000,
            ).unref();
          });
          upload.write('{"a":'.repeat((64 * 1024) / 5));
          try {
            expect({ path, status: await status }).toEqual({ path, status: 401 });
            expect((await fetch(`${platform.url}/health/live`)).status).toBe(200);
            answers.push(`401 ${path}`);
          } finally {
            upload.destroy();
          }
        }
        const whole = await fetch(`${platform.url}/v1/touchpoints`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': 'unknown-key-0123456789abcdef',
          },
          body: '['.repeat(declared),
        });
        expect(whole.status).toBe(401);
        expect(bigParses).toEqual([]);
      } finally {
        spy.mockRestore();
      }
      report('injection unauthenticated deep bodies', {
        refusedBeforeBody: answers.length,
        bodiesParsed: bigParses.length,
      });
    }, 60_000);

    it('neutralises formula prefixes in every exported CSV cell', async () => {
      const exports = [
        '/v1/customers?format=csv',
        '/v1/at-risk?format=csv',
        ...FORMULAS.map((_, i) => `/v1/customers/C-inj-${i + 1}/timeline?format=csv`),
      ];
      let cells = 0;
      let neutralised = 0;
      for (const path of exports) {
        // Insights answer once the projector caught up and the snapshot is computed.
        const response = await eventually(
          async () => {
            const answer = await get(path, 'text/csv');
            expect({ path, status: answer.status }).toEqual({ path, status: 200 });
            return answer;
          },
          20_000,
          200,
        );
        const rows = parse(await response.text(), { relax_column_count: true }) as string[][];
        for (const cell of rows.flat()) {
          cells++;
          if (cell.startsWith("'")) neutralised++;
          // A number may be negative; any other cell starting like a formula is a hole.
          if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell)) continue;
          expect({ path, cell }).not.toEqual({ path, cell: expect.stringMatching(/^[=+\-@\t\r]/) });
        }
      }
      const timeline = await (
        await get('/v1/customers/C-inj-1/timeline?format=csv', 'text/csv')
      ).text();
      // touchpointId "=inj-0" has a column of its own; the data column is JSON ({…}).
      expect(timeline).toContain("'=inj-0");
      expect(neutralised).toBeGreaterThanOrEqual(FORMULAS.length);
      report('injection CSV', { exports: exports.length, cells, neutralisedCells: neutralised });
    });
  },
);
