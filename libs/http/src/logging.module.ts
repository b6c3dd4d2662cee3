import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { RapportConfig } from '@rapport/config';
import { redactUrl } from './redact-url';

/**
 * Structured JSON logs with a request id (taken from X-Request-Id when the caller sends a
 * sane one). Bodies are never logged, credentials are redacted and URLs lose their query
 * values and any email- or phone-like path segment, so no personal data or secrets reach the
 * logs. `destination` defaults to stdout (tests pass a stream to read what was logged).
 */
export function rapportLoggerModule(
  config: Pick<RapportConfig, 'logLevel'>,
  destination?: DestinationStream,
) {
  const options: Options = {
    level: config.logLevel,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
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
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      // Response headers can name a customer (Content-Disposition of a CSV export).
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  };
  return LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options });
}
