import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { RapportConfig } from '@rapport/config';
import { ProblemDetailsFilter } from './problem-details.filter';

/** The HTTP edge every Rapport app shares: pino logs, body limits, problem details, shutdown hooks. */
export async function createHttpApp(
  rootModule: Parameters<typeof NestFactory.create>[0],
  config: Pick<RapportConfig, 'ingest'>,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', {
    limit: config.ingest.maxBodyBytes,
    type: ['application/json', 'application/*+json'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  return app;
}
