import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's default security headers on every response. @fastify/helmet builds helmet's
 * middleware anew for every request, parsing its Content-Security-Policy directives each
 * time (a tenth of what a customer-view request allocated); built once here, a request only
 * sets the headers.
 */
export function sendSecurityHeaders(server: FastifyInstance): void {
  const setHeaders = helmet();
  server.addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, () => done()),
  );
}

/**
 * `Cache-Control: no-store` on every /v1 answer, errors included: they carry customer data
 * (views, lists, timelines, exports) that no browser or proxy cache should keep.
 */
export function forbidCachingOfApiAnswers(server: FastifyInstance): void {
  server.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/v1' || request.url.startsWith('/v1/') || request.url.startsWith('/v1?'))
      void reply.header('Cache-Control', 'no-store');
    done();
  });
}
