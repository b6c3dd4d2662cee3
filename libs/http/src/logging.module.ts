import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, type DestinationStream } from 'pino';
import type { RapportConfig } from '@rapport/config';
import { redactUrl } from './redact-url';
import { requestInProgressMixin } from './request-logging';
import { ShutdownLogger } from './shutdown.logger';

/** The pino logger that createHttpApp hooks into the server to log each request. */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

@Global()
@Module({})
class RapportLoggerModule {}

/**
 * Structured JSON logs with a request id (taken from X-Request-Id when the caller sends a
 * sane one) on every line written while serving a request. Bodies are never logged,
 * credentials are redacted and URLs lose their query values and any email- or phone-like
 * path segment, so no personal data or secrets reach the logs. `destination` defaults to
 * stdout (tests pass a stream to read what was logged).
 */
export function rapportLoggerModule(
  config: Pick<RapportConfig, 'logLevel'>,
  destination?: DestinationStream,
): DynamicModule {
  const options = {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.originalUrl ?? req.url ?? ''),
      }),
      // Response headers can name a customer (Content-Disposition of a CSV export).
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    mixin: requestInProgressMixin,
  };
  const logger = destination ? pino(options, destination) : pino(options);
  return {
    module: RapportLoggerModule,
    // The request context comes from logRequests, not from nestjs-pino's own middleware.
    imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] })],
    providers: [{ provide: REQUEST_LOGGER, useValue: logger }, ShutdownLogger],
    exports: [REQUEST_LOGGER],
  };
}
