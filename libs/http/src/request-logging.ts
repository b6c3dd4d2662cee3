import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Level, Logger } from 'pino';

const requestInProgress = new AsyncLocalStorage<IncomingMessage>();

/** pino's `mixin`: the request being served, on every line written while serving it. */
export function requestInProgressMixin(): { req?: IncomingMessage } {
  const req = requestInProgress.getStore();
  return req ? { req } : {};
}

/** Fastify's `genReqId`: the caller's X-Request-Id when it is a sane one, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * Makes the request known to every log line written while serving it, and logs its
 * completion: info, warn from 400, error from 500. Nothing is serialised unless a line is
 * written: the logger's `req` serializer picks the id, method and redacted URL only then,
 * which at LOG_LEVEL=warn spares every successful request the work.
 */
export function logRequests(instance: FastifyInstance, logger: Logger): void {
  instance.addHook('onRequest', (request, reply, done) => {
    // The serializer and the mixin see the raw request: it carries the id for them.
    const raw = request.raw as IncomingMessage & { id?: string };
    raw.id = request.id;
    const response = reply.raw;
    response.once('close', () => {
      const status = response.statusCode;
      // 503 tells the client to come back (not ready, behind, a store away): a warning. The
      // cause of a store outage is logged as an error where it is answered.
      const level: Level =
        status >= 500 && status !== 503 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const outcome = !response.writableFinished
        ? 'request aborted'
        : status === 503
          ? 'service unavailable'
          : status >= 500
            ? 'request errored'
            : 'request completed';
      logger[level](
        { req: raw, res: response, responseTime: Math.round(reply.elapsedTime) },
        outcome,
      );
    });
    // Fastify keeps this context through reading the body and on into the handler.
    requestInProgress.run(raw, done);
  });
}
