import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { RapportConfig } from '@rapport/config';
import { REQUEST_LOGGING } from './logging.module';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { setupOpenApi } from './openapi/openapi.setup';
import { ProblemDetailsFilter } from './problem-details.filter';
import { MIN_POSITION_HEADER, POSITION_HEADER } from './read-your-writes/min-position';

/**
 * The HTTP edge every Rapport app shares: pino logs, security headers, CORS only for the
 * configured origins, body limits, latency metrics, problem details, OpenAPI at /docs and
 * shutdown hooks. Keys, roles and rate limits come with HttpEdgeModule in the root module.
 */
export async function createHttpApp(
  rootModule: Parameters<typeof NestFactory.create>[0],
  config: Pick<RapportConfig, 'ingest' | 'http'>,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(app.get(REQUEST_LOGGING));
  app.use(helmet());
  app.use(httpMetricsMiddleware());
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
  app.useBodyParser('json', {
    limit: config.ingest.maxBodyBytes,
    type: ['application/json', 'application/*+json'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  setupOpenApi(app);
  return app;
}
