import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { MIN_POSITION_HEADER, MIN_POSITION_QUERY } from '../read-your-writes/min-position';
import { isReadRoute } from '../read-your-writes/read-route';
import { READS_NO_VIEW_EXTENSION } from '../read-your-writes/reads-no-view.decorator';
import { problemResponse } from './api-problem-responses.decorator';
import { API_KEY_SCHEME, BEARER_SCHEME } from './openapi.schemes';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs/json';

const DESCRIPTION = `
Rapport's HTTP API: touchpoints in, customer views and analytics out.

**Authentication.** Every route except \`/health/*\` needs an API key, sent as
\`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`. Roles: \`analyst\` reads,
\`ingest\` writes touchpoints, \`admin\` may do everything.

**Errors** are RFC 9457 problem details (\`application/problem+json\`) with a stable \`code\`.

**Read-your-writes.** A write answers its global \`position\` (body and \`X-Position\` header).
Any read under \`/v1\` accepts \`X-Min-Position\` (or \`?minPosition=\`) and waits, bounded, until
the views include that position; 503 with \`Retry-After\` if they don't in time. Lists and
population views answer from an insights snapshot recomputed on demand past that position
(503 \`INSIGHTS_BEHIND\` if that takes longer than the bound).

**CSV.** List routes answer \`text/csv\` for \`Accept: text/csv\` or \`?format=csv\` (RFC 4180,
header row; cells starting with = + - @ tab or CR are prefixed with ' against formula injection).
`.trim();

/** Builds the OpenAPI 3 document from the app's controllers and serves it at /docs. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Rapport API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    // addSecurity, not addBearerAuth: the latter adds bearerFormat "JWT", and the token is an
    // opaque API key that a client must not try to decode.
    .addSecurity(BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'opaque API key',
      description: 'An API key as a bearer token',
    })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key' },
      API_KEY_SCHEME,
    )
    .build();
  const document = withReadYourWrites(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Rapport API',
  });
  return document;
}

/** Read routes all honour X-Min-Position (a global interceptor): say so on each of them. */
function withReadYourWrites(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.get;
    if (!operation || !isReadRoute('GET', path)) continue;
    const marked = operation as unknown as Record<string, unknown>;
    if (marked[READS_NO_VIEW_EXTENSION]) {
      delete marked[READS_NO_VIEW_EXTENSION];
      continue;
    }
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: MIN_POSITION_HEADER,
        in: 'header',
        required: false,
        description:
          'Wait (bounded) until the views include this global position, as returned by a write',
        schema: { type: 'string', pattern: '^\\d{1,20}$' },
        example: '42',
      },
      {
        name: MIN_POSITION_QUERY,
        in: 'query',
        required: false,
        description: `Same as the ${MIN_POSITION_HEADER} header`,
        schema: { type: 'string', pattern: '^\\d{1,20}$' },
      },
    ];
    operation.responses = { ...operation.responses, 503: readRouteUnavailable() };
  }
  return document;
}

/** The 503s a read route answers, one example per code, so a client can tell them apart. */
function readRouteUnavailable() {
  const { status: _status, content, ...response } = problemResponse(503);
  const [contentType, { schema, example }] = Object.entries(content)[0];
  const problem = (code: string, detail: string) => ({
    value: { ...example, code, detail, instance: '/v1/tiers' },
  });
  return {
    ...response,
    description:
      'PROJECTION_BEHIND: the views did not reach X-Min-Position in time; INSIGHTS_BEHIND: the ' +
      'population snapshot (tiers, lists, at risk, retention, segments) was not recomputed past ' +
      'it in time; INSIGHTS_NOT_READY: no snapshot computed yet; READ_STORE_MISMATCH: the read ' +
      'store was built from another event store (reads are held until it is rebuilt); or a ' +
      'store is unavailable. Retry after Retry-After',
    content: {
      [contentType]: {
        schema,
        examples: {
          PROJECTION_BEHIND: problem(
            'PROJECTION_BEHIND',
            'the projector has not reached position 57 within 5000 ms',
          ),
          INSIGHTS_BEHIND: problem(
            'INSIGHTS_BEHIND',
            'the insights have not been recomputed past position 57 within 5000 ms (the ' +
              'current snapshot covers position 41); retry shortly',
          ),
          INSIGHTS_NOT_READY: problem(
            'INSIGHTS_NOT_READY',
            'tiers and churn insights are computed once the projector has caught up; retry shortly',
          ),
          READ_STORE_MISMATCH: problem(
            'READ_STORE_MISMATCH',
            'checkpoint "projector" was built from event store 5b1d… up to position 1200, not ' +
              'from this event store 9e04… (head 300); rebuilding the views from this event store',
          ),
        },
      },
    },
  };
}
