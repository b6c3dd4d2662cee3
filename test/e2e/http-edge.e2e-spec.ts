import { request as httpRequest, type IncomingMessage } from 'node:http';
import request from 'supertest';
import { eventually, startPlatform, type RunningPlatform } from '@rapport/test-support';

/**
 * The HTTP edge before any handler runs: who is refused before their body is read, how
 * requests without a valid key are rate limited, what answers may be cached, what a problem
 * echoes, and when /health/ready lets traffic in.
 */
const BIG = 5 * 1024 * 1024;

/**
 * Starts a POST that declares a body of `declared` bytes and sends only `first` of it: the
 * answer can only come back before the body is complete if nothing waited for the body.
 */
function partialUpload(url: string, path: string, declared: number, first: Buffer) {
  const target = new URL(path, url);
  const req = httpRequest(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(declared) },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    // Generous: only an edge that waits for the rest of the body never answers at all.
    setTimeout(
      () => reject(new Error('no answer while the body was still being sent')),
      30_000,
    ).unref();
  });
  req.write(first);
  return { answered, abort: () => req.destroy() };
}

describe('the HTTP edge', () => {
  let platform: RunningPlatform;
  let parsed: string[];
  beforeAll(async () => {
    platform = await startPlatform({ RATE_LIMIT_UNAUTHENTICATED_REQUESTS: '0' });
  }, 60_000);
  beforeEach(() => {
    parsed = [];
    const parse = JSON.parse.bind(JSON);
    jest.spyOn(JSON, 'parse').mockImplementation((text: string, reviver) => {
      if (typeof text === 'string' && text.length > 1024 * 1024) parsed.push(text.slice(0, 16));
      return parse(text, reviver);
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await platform?.destroy();
  }, 60_000);

  it('refuses a request without a key before reading its body, and stays live meanwhile', async () => {
    for (const path of ['/v1/touchpoints', '/v1/no-such-route']) {
      const upload = partialUpload(platform.url, path, BIG, Buffer.from('['.repeat(64 * 1024)));
      try {
        const answer = await upload.answered;
        expect({ path, status: answer.status }).toEqual({ path, status: 401 });
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'API_KEY_MISSING' });
        // The upload is still open (most of its bytes never sent): the process answers others.
        await request(platform.url).get('/health/live').expect(200);
      } finally {
        upload.abort();
      }
    }
  }, 60_000);

  it('never parses a deep body sent whole without a valid key, and refuses it from a key before parsing', async () => {
    const deep = '['.repeat(BIG);
    const anonymous = await fetch(`${platform.url}/v1/touchpoints`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer not-a-key-at-all-0000000',
      },
      body: deep,
    });
    expect(anonymous.status).toBe(401);
    const keyed = await fetch(`${platform.url}/v1/touchpoints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...platform.auth('ingest') },
      body: deep,
    });
    expect(keyed.status).toBe(400);
    expect(await keyed.json()).toMatchObject({
      code: 'JSON_TOO_DEEP',
      detail: expect.stringContaining('at byte 32'),
    });
    expect(parsed).toEqual([]);
  }, 60_000);

  it('keeps /health and /docs open', async () => {
    await request(platform.url).get('/health/live').expect(200);
    await request(platform.url).get('/docs/json').expect(200);
  });

  it('marks every /v1 answer no-store, refusals included', async () => {
    for (const [path, auth] of [
      ['/v1/customers?format=csv', platform.auth('analyst')],
      ['/v1/customers/C-none', platform.auth('analyst')],
      ['/v1/customers/C-none', {}],
      ['/v1/projections/status', platform.auth('analyst')],
    ] as const) {
      const response = await request(platform.url).get(path).set(auth);
      expect({ path, status: response.status, cache: response.headers['cache-control'] }).toEqual({
        path,
        status: response.status,
        cache: 'no-store',
      });
    }
  });

  it('names the path as a problem’s instance, never the query string', async () => {
    const response = await request(platform.url)
      .get('/v1/customers/C-none?apiKey=leaked-secret-0123456789&asOf=2026-01-01')
      .set(platform.auth('analyst'))
      .expect(400);
    expect(response.body.instance).toBe('/v1/customers/C-none');
    expect(response.text).not.toContain('leaked-secret');
  });

  it('takes dryRun as true/false or 1/0 only, and names it otherwise', async () => {
    const response = await request(platform.url)
      .post('/v1/projections/customer-view/rebuild?dryRun=maybe')
      .set(platform.auth('admin'))
      .expect(400);
    expect(response.body).toMatchObject({
      code: 'INVALID_REQUEST',
      errors: [{ path: 'dryRun', message: expect.stringContaining('true or false') }],
    });
    const status = await request(platform.url)
      .get('/v1/projections/status')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(status.body.rebuilds).toEqual([]);
    const dry = await request(platform.url)
      .post('/v1/projections/customer-view/rebuild?dryRun=1')
      .set(platform.auth('admin'))
      .expect(202);
    expect(dry.body.mode).toBe('dry-run');
    await eventually(async () => {
      const after = await request(platform.url)
        .get('/v1/projections/status')
        .set(platform.auth('analyst'));
      expect(after.body.rebuilds[0].finishedAt).toBeDefined();
      // A dry run starts two worker threads (build, compare), each compiling under Jest first.
    }, 90_000);
  }, 150_000);
});

describe('requests without a valid key, per address', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({
      RATE_LIMIT_UNAUTHENTICATED_REQUESTS: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  }, 60_000);
  afterAll(async () => {
    await platform?.destroy();
  }, 60_000);

  it('get 429 with Retry-After past their budget, while valid keys and probes go on', async () => {
    await request(platform.url).get('/v1/customers/C-1').expect(401);
    await request(platform.url)
      .get('/v1/customers/C-1')
      .set('X-API-Key', 'wrong-key-0123456789abc')
      .expect(401);
    await request(platform.url).post('/v1/unknown').send({ a: 1 }).expect(401);
    const limited = await request(platform.url)
      .get('/v1/customers/C-1')
      .set('Authorization', 'Bearer another-wrong-key-0123456789')
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({
      code: 'RATE_LIMITED',
      detail: expect.stringContaining('without a valid API key from this address'),
    });
    await request(platform.url)
      .get('/v1/customers/C-none')
      .set(platform.auth('analyst'))
      .expect(404);
    await request(platform.url).get('/health/live').expect(200);
    await request(platform.url).get('/v1/customers/C-1').expect(429);
  });
});

describe('readiness and the first insights', () => {
  let platform: RunningPlatform | undefined;
  afterEach(async () => {
    await platform?.destroy();
    platform = undefined;
  }, 60_000);

  it('is not ready until lists answer', async () => {
    platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '60' });
    const url = platform.url;
    await request(url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send({
        touchpointId: 'ready-1',
        source: 'pos',
        customerId: 'C-ready-1',
        type: 'purchase',
        occurredAt: '2026-06-01T10:00:00Z',
        channel: 'store',
        data: { orderId: 'O-ready-1', amount: { minor: 1000, currency: 'EUR' } },
      })
      .expect(202);
    // The first 200 from /health/ready, caught as early as polling can: a list asked right then
    // must answer, not 503 INSIGHTS_NOT_READY.
    await eventually(() => request(url).get('/health/ready').expect(200), 30_000, 5);
    const list = await request(url).get('/v1/customers').set(platform.auth('analyst'));
    expect({ status: list.status, code: list.body.code }).toEqual({ status: 200, code: undefined });
  }, 60_000);

  it('says so when insights are computed on demand only', async () => {
    platform = await startPlatform({ INSIGHTS_REFRESH_SECONDS: '0' });
    const ready = await eventually(
      () => request(platform!.url).get('/health/ready').expect(200),
      30_000,
    );
    expect(ready.body.details.insights.message).toMatch(/INSIGHTS_REFRESH_SECONDS=0/);
  }, 60_000);
});
