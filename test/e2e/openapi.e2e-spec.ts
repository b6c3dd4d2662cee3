import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { TOUCHPOINT_TYPES } from '@rapport/domain';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';
import { openApiPath, registeredRoutes } from '../support/routes';

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<
    string,
    { content?: Record<string, { schema?: { $ref?: string }; examples?: Record<string, unknown> }> }
  >;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { examples?: Record<string, unknown> }> };
}
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

describe('the OpenAPI document', () => {
  let platform: RunningPlatform;
  let document: OpenApi;
  beforeAll(async () => {
    platform = await startPlatform();
    document = (await request(platform.url).get('/docs/json').expect(200)).body;
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes every route the app serves, and no other', () => {
    const served = registeredRoutes(platform.app)
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    const documented = operations()
      .map((o) => `${o.method.toUpperCase()} ${o.path}`)
      .sort();
    expect(documented).toEqual(served);
  });

  it('names both key schemes and puts every route but the probes behind them', () => {
    expect(document.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    // An API key is opaque: the document must not tell clients it is a JWT to decode.
    expect(document.components.securitySchemes.bearer).not.toMatchObject({ bearerFormat: 'JWT' });
    for (const { path, method, operation } of operations()) {
      if (path.startsWith('/health/')) {
        expect(operation.security).toBeUndefined();
        continue;
      }
      expect({ path, method, security: operation.security }).toEqual({
        path,
        method,
        security: expect.arrayContaining([{ bearer: [] }, { apiKey: [] }]),
      });
      for (const status of ['401', '403', '429']) {
        expect({ path, method, status, response: operation.responses[status] }).toMatchObject({
          response: {
            content: {
              'application/problem+json': {
                schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
              },
            },
          },
        });
      }
    }
  });

  it('documents X-Min-Position and 503 on every read route', () => {
    // GET /v1/me reads the caller's key, no view: it waits for nothing and is never refused.
    const reads = operations().filter(
      (o) => o.method === 'get' && o.path.startsWith('/v1/') && o.path !== '/v1/me',
    );
    expect(reads.length).toBeGreaterThan(0);
    for (const { path, operation } of reads) {
      const names = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect({ path, names }).toEqual({
        path,
        names: expect.arrayContaining(['header:X-Min-Position', 'query:minPosition']),
      });
      expect(operation.responses['503']).toBeDefined();
      const examples = Object.keys(
        Object.values(operation.responses['503'].content ?? {})[0]?.examples ?? {},
      );
      expect({ path, examples }).toEqual({
        path,
        examples: expect.arrayContaining(['INSIGHTS_BEHIND', 'READ_STORE_MISMATCH']),
      });
    }
  });

  it('documents the touchpoint body with an example per type, and its errors', () => {
    const post = document.paths['/v1/touchpoints'].post;
    const examples = post.requestBody!.content['application/json'].examples!;
    expect(Object.keys(examples)).toEqual(expect.arrayContaining([...TOUCHPOINT_TYPES, 'batch']));
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '413', '415', '429', '503']),
    );
  });

  it('documents the CSV alternative of the timeline', () => {
    const get = document.paths['/v1/customers/{customerId}/timeline'].get;
    expect(Object.keys(get.responses['200'].content!)).toEqual(['application/json', 'text/csv']);
    expect((get.parameters ?? []).map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'type', 'channel', 'from', 'to', 'format']),
    );
  });

  it('serves Swagger UI at /docs without a key', async () => {
    const page = await request(platform.url).get('/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger-ui');
  });

  it.each(['/docs', '/docs/'])('loads every stylesheet and script %s links to', async (path) => {
    const page = await request(platform.url).get(path).expect(200);
    const assets = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/swagger-ui\.css$/)]));
    for (const asset of assets) {
      // As a browser resolves it: against the page's own URL, trailing slash or not.
      const url = new URL(asset, `${platform.url}${path}`);
      const response = await request(platform.url).get(url.pathname);
      expect({ asset, resolved: url.pathname, status: response.status }).toEqual({
        asset,
        resolved: url.pathname,
        status: 200,
      });
    }
  });
});
