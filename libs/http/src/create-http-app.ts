import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { SHUTDOWN_SIGNALS, type RapportConfig } from '@rapport/config';
import { REQUEST_LOGGER } from './logging.module';
import { API_KEY_AUTHENTICATOR, type ApiKeyAuthenticator } from './auth/api-key.authenticator';
import { authenticateFirst } from './auth/authenticate-first';
import { acceptJsonBodiesOnly } from './json-bodies';
import { measureRequests } from './metrics/http-metrics.hook';
import { DOCS_PATH, setupOpenApi } from './openapi/openapi.setup';
import { answerWithProblem, ProblemDetailsFilter } from './problem-details.filter';
import { MIN_POSITION_HEADER, POSITION_HEADER } from './read-your-writes/min-position';
import { logRequests, requestIdOf } from './request-logging';
import { UnauthenticatedRateLimit } from './rate-limit/unauthenticated.rate-limit';
import { forbidCachingOfApiAnswers, sendSecurityHeaders } from './security-headers';

/**
 * The HTTP edge every Rapport app shares, on Fastify: pino logs, security headers, the API key
 * checked before any body is read, CORS only for the configured origins, body limits, latency
 * metrics, problem details, OpenAPI at /docs and shutdown hooks. Keys, roles and rate limits
 * come with HttpEdgeModule in the root module.
 */
export async function createHttpApp(
  rootModule: Parameters<typeof NestFactory.create>[0],
  config: Pick<RapportConfig, 'ingest' | 'http'>,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.ingest.maxBodyBytes,
    genReqId: requestIdOf,
    // Node's own limit, which Fastify would turn off: a whole request within 5 minutes.
    requestTimeout: 300_000,
    routerOptions: {
      // A customer id is up to 128 characters, up to three times that percent-encoded.
      maxParamLength: 512,
      ignoreTrailingSlash: true,
    },
    frameworkErrors: answerWithProblem,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    // Bodies are JSON only (acceptJsonBodiesOnly); Nest's parsers would add form bodies.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const server = app.getHttpAdapter().getInstance();
  logRequests(server, app.get(REQUEST_LOGGER));
  measureRequests(server);
  acceptJsonBodiesOnly(server);
  sendSecurityHeaders(server);
  forbidCachingOfApiAnswers(server);
  authenticateFirst(
    server,
    app.get<ApiKeyAuthenticator>(API_KEY_AUTHENTICATOR),
    app.get(UnauthenticatedRateLimit),
    `/${DOCS_PATH}`,
  );
  if (config.http.corsOrigins.length) {
    app.enableCors({
      origin: [...config.http.corsOrigins],
      allowedHeaders: [
        'Authorization',
        'X-API-Key',
        'Content-Type',
        'X-Request-Id',
        MIN_POSITION_HEADER,
      ],
      exposedHeaders: [POSITION_HEADER, 'Retry-After', 'X-Request-Id', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
  setupOpenApi(app);
  return app;
}
