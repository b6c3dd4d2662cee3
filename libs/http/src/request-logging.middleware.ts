import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';

const requestInProgress = new AsyncLocalStorage<IncomingMessage>();

/** pino's `mixin`: the request being served, on every line written while serving it. */
export function requestInProgressMixin(): { req?: IncomingMessage } {
  const req = requestInProgress.getStore();
  return req ? { req } : {};
}

export type RequestLoggingMiddleware = (
  request: IncomingMessage & { id?: unknown },
  response: ServerResponse,
  next: () => void,
) => void;

/**
 * Gives every request an id (the caller's X-Request-Id when it is a sane one), makes the
 * request known to every log line written while serving it, and logs its completion: info,
 * warn from 400, error from 500. Nothing is serialised unless a line is written: the logger's
 * `req` serializer picks the id, method and redacted URL only then, which at LOG_LEVEL=warn
 * spares every successful request the work (a per-request child logger in pino-http was a
 * large share of a request's time and garbage).
 */
export function requestLogging(logger: Logger): RequestLoggingMiddleware {
  return (request, response, next) => {
    request.id = requestIdOf(request);
    const started = Date.now();
    response.once('close', () => {
      const status = response.statusCode;
      const level: Level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const outcome = !response.writableFinished
        ? 'request aborted'
        : status >= 500
          ? 'request errored'
          : 'request completed';
      logger[level]({ req: request, res: response, responseTime: Date.now() - started }, outcome);
    });
    requestInProgress.run(request, next);
  };
}

function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}
