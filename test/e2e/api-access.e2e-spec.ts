import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ApiRole } from '@rapport/config';
import { eventually, startPlatform, type RunningPlatform } from '@rapport/test-support';
import { registeredRoutes, type RegisteredRoute } from '../support/routes';

/**
 * Who may call what, over real HTTP, for every route the app registers (derived from the app,
 * so a new route is covered the moment it exists). The rules under test:
 * /health/* is open; POST /v1/touchpoints needs ingest; other writes need admin; reads
 * (GET /v1/…, /metrics) need analyst, except a customer's export (personal data, decrypted),
 * which needs admin, and GET /v1/me, which any key may ask; admin may do everything.
 */
type Caller = 'anonymous' | ApiRole;
const CALLERS: readonly Caller[] = ['anonymous', 'analyst', 'ingest', 'admin', 'segment'];

/** A Segment write key (role segment) may send Segment calls and nothing else. */
function requiredRoles(route: RegisteredRoute): readonly ApiRole[] | 'public' {
  if (route.path.startsWith('/health/')) return 'public';
  // Any dashboard key; not a Segment write key, which is public in pages and apps.
  if (route.method === 'GET' && route.path === '/v1/me') return ['analyst', 'ingest'];
  if (route.method === 'POST' && route.path === '/v1/touchpoints') return ['ingest'];
  if (route.method === 'POST' && route.path.startsWith('/v1/segment/'))
    return ['ingest', 'segment'];
  if (route.method === 'GET' && route.path === '/v1/customers/:customerId/export') return ['admin'];
  if (route.method === 'GET' && (route.path.startsWith('/v1/') || route.path === '/metrics'))
    return ['analyst'];
  return ['admin'];
}

function expectedStatus(route: RegisteredRoute, caller: Caller): '2xx' | 400 | 401 | 403 {
  const roles = requiredRoles(route);
  if (roles === 'public') return '2xx';
  if (caller === 'anonymous') return 401;
  if (!(caller === 'admin' || roles.includes(caller))) return 403;
  return '2xx';
}

/** A call each Segment route records: /v1/segment/<type>, or a batch of a page call. */
const segmentCall = (type: string): Record<string, unknown> => {
  const call = {
    type,
    messageId: `access-${randomUUID()}`,
    userId: 'C-access-segment',
    timestamp: '2026-06-01T10:00:00Z',
  };
  if (type === 'batch') return { batch: [segmentCall('page')] };
  if (type === 'track')
    return {
      ...call,
      event: 'Order Completed',
      properties: { order_id: `O-${randomUUID()}`, total: 10, currency: 'EUR' },
    };
  if (type === 'identify') return { ...call, traits: { email: 'access@example.com' } };
  return { ...call, properties: { url: 'https://shop.example.com/' } };
};

const purchase = (customerId: string, minor = 4999, occurredAt = '2026-06-01T10:00:00Z') => ({
  touchpointId: `pos-${randomUUID()}`,
  source: 'pos',
  customerId,
  type: 'purchase',
  occurredAt,
  channel: 'store',
  data: { orderId: `O-${randomUUID().slice(0, 8)}`, amount: { minor, currency: 'EUR' } },
});

// Its set-up refits the model, which starts the worker thread (compiling sources in tests):
// seconds on a busy shared machine.
jest.setTimeout(60_000);

describe('access to every route, by role', () => {
  let platform: RunningPlatform;
  const customerId = 'C-access-1';
  /** Two anonymous visitors the admin's merge call joins, and a merge of two more to undo. */
  let mergeable: string[] = [];
  let mergeId = '';

  beforeAll(async () => {
    platform = await startPlatform();
    // Enough history for the analytics routes to answer 200 (tiers, model fit).
    const body = Array.from({ length: 30 }, (_, i) => [
      purchase(`C-access-${i}`, 1000 + i * 100, '2026-03-01T10:00:00Z'),
      purchase(`C-access-${i}`, 1000 + i * 50, '2026-06-01T10:00:00Z'),
      purchase(`C-access-${i}`, 900, '2026-09-01T10:00:00Z'),
    ]).flat();
    const written = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(body)
      .expect(202);
    await request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .set(platform.auth('analyst'))
      .set('X-Min-Position', written.body.position)
      .expect(200);
    await eventually(() =>
      request(platform.url).post('/v1/model/fit').set(platform.auth('admin')).expect(200),
    );
    const visitors = await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(
        [1, 2, 3, 4].map((n) => ({
          touchpointId: `web-access-${n}`,
          source: 'webshop',
          identifiers: [{ type: 'anonymousId', value: `access-visitor-${n}` }],
          type: 'web_visit',
          occurredAt: '2026-06-01T10:00:00Z',
          channel: 'web',
          data: { url: 'https://shop.example.com/' },
        })),
      )
      .expect(202);
    const profiles = visitors.body.items.map((i: { customerId: string }) => i.customerId);
    mergeable = profiles.slice(0, 2);
    const merged = await request(platform.url)
      .post('/v1/identities/merges')
      .set(platform.auth('admin'))
      .send({ profiles: profiles.slice(2), reason: 'access check' })
      .expect(200);
    mergeId = merged.body.mergeId;
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const call = (route: RegisteredRoute, caller: Caller) => {
    const path = route.path
      .replace(':customerId', customerId)
      .replace(':name', 'customer-view')
      .replace(':type/:value', `customerId/${customerId}`)
      .replace(':mergeId', mergeId);
    if (/:\w/.test(path)) throw new Error(`give ${route.method} ${route.path} sample parameters`);
    const base = request(platform.url);
    const req =
      route.method === 'POST'
        ? base
            .post(path)
            .send(
              route.path === '/v1/touchpoints'
                ? purchase(customerId)
                : route.path.startsWith('/v1/segment/')
                  ? segmentCall(route.path.slice('/v1/segment/'.length))
                  : route.path === '/v1/identities/merges'
                    ? { profiles: mergeable, reason: 'access check' }
                    : route.path.startsWith('/v1/identities/merges/')
                      ? { reason: 'access check' }
                      : undefined,
            )
        : route.method === 'DELETE'
          ? // An erasure by the admin is real: another customer than the one the reads use.
            base.delete(`${path.replace(customerId, 'C-access-29')}?reason=access%20check`)
          : base.get(path);
    return caller === 'anonymous' ? req : req.set(platform.auth(caller));
  };

  it('registers the routes this suite knows how to call', () => {
    const routes = registeredRoutes(platform.app).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/touchpoints',
        'GET /v1/customers/:customerId',
        'GET /v1/customers/:customerId/timeline',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ]),
    );
  });

  it('answers every route × caller as the rules say', async () => {
    const routes = registeredRoutes(platform.app);
    const cells: string[] = [];
    for (const route of routes) {
      for (const caller of CALLERS) {
        const expected = expectedStatus(route, caller);
        const response = await call(route, caller);
        const ok =
          expected === '2xx'
            ? response.status >= 200 && response.status < 300
            : response.status === expected;
        cells.push(
          `${route.method} ${route.path} as ${caller}: ${response.status}${ok ? '' : ` (expected ${expected})`}`,
        );
      }
    }
    expect(cells.filter((c) => c.includes('expected'))).toEqual([]);
    expect(cells.length).toBe(routes.length * CALLERS.length);
  });

  it('challenges a missing key with 401 problem details and WWW-Authenticate', async () => {
    const response = await request(platform.url).get(`/v1/customers/${customerId}`).expect(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="rapport"');
    expect(response.body).toMatchObject({ status: 401, code: 'API_KEY_MISSING' });
  });

  it('refuses an unknown key with 401 invalid_token', async () => {
    const response = await request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .set('Authorization', 'Bearer not-a-key-we-know-of-at-all')
      .expect(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(response.body).toMatchObject({ code: 'API_KEY_UNKNOWN' });
  });

  it('accepts the key in X-API-Key too', async () => {
    await request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .set('X-API-Key', platform.keys.analyst)
      .expect(200);
  });

  it('refuses the wrong role with 403 problem details naming the role needed', async () => {
    const response = await request(platform.url)
      .get(`/v1/customers/${customerId}`)
      .set(platform.auth('ingest'))
      .expect(403);
    expect(response.body).toMatchObject({
      status: 403,
      code: 'ROLE_FORBIDDEN',
      detail: expect.stringContaining('analyst'),
    });
  });

  it('sends security headers and no CORS headers when no origin is configured', async () => {
    const response = await request(platform.url)
      .get('/health/live')
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves liveness and readiness without a key', async () => {
    await request(platform.url).get('/health/live').expect(200, { status: 'ok' });
    const ready = await eventually(() => request(platform.url).get('/health/ready').expect(200));
    expect(ready.body.details).toMatchObject({
      eventStore: { status: 'up' },
      readStore: { status: 'up' },
      projector: { status: 'up' },
    });
  });

  it('measures latency by route pattern, appends, and projection lag', async () => {
    const { text } = await request(platform.url)
      .get('/metrics')
      .set(platform.auth('analyst'))
      .expect(200);
    expect(text).toMatch(
      /rapport_http_request_duration_seconds_count\{method="GET",route="\/v1\/customers\/:customerId",status="200"\} \d+/,
    );
    expect(text).toMatch(/rapport_http_request_duration_seconds_count\{[^}]*status="401"\}/);
    expect(text).toMatch(/rapport_append_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/rapport_projection_lag_positions \d+/);
    expect(text).toMatch(/rapport_read_store_records\{form="objects"\} [1-9]/);
    expect(text).toMatch(/rapport_read_store_records\{form="text"\} \d+/);
    expect(text).not.toContain(customerId);
  });
});

describe('CORS with configured origins', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({ CORS_ORIGINS: 'https://dashboard.example' });
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('allows the configured origin only, and lets it send the API headers', async () => {
    const preflight = await request(platform.url)
      .options('/v1/customers/C-1')
      .set('Origin', 'https://dashboard.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization,x-min-position');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://dashboard.example');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Min-Position/i);
    const other = await request(platform.url)
      .get('/health/live')
      .set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('limits', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({
      RATE_LIMIT_REQUESTS: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      INGEST_MAX_BODY_BYTES: '2048',
    });
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('answers 429 problem details with Retry-After once a key has used its budget', async () => {
    for (let i = 0; i < 3; i++) {
      await request(platform.url)
        .get('/v1/customers/C-none')
        .set(platform.auth('analyst'))
        .expect(404);
    }
    const limited = await request(platform.url)
      .get('/v1/customers/C-none')
      .set(platform.auth('analyst'))
      .expect(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Budgets are per key, and probes are never limited.
    await request(platform.url).get('/v1/customers/C-none').set(platform.auth('admin')).expect(404);
    for (let i = 0; i < 5; i++) await request(platform.url).get('/health/live').expect(200);
  });

  it('answers 413 problem details for a body over INGEST_MAX_BODY_BYTES', async () => {
    const big = {
      ...purchase('C-big'),
      data: { orderId: 'x'.repeat(4000), amount: { minor: 1, currency: 'EUR' } },
    };
    const response = await request(platform.url)
      .post('/v1/touchpoints')
      .set('X-API-Key', platform.keys.ingest)
      .send(big)
      .expect(413);
    expect(response.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});
