import type { FastifyInstance, RouteOptions } from 'fastify';
import { answerWithProblem } from '../problem-details.filter';
import { tooManyRequests, unauthorized } from '../problem-details';
import type { UnauthenticatedRateLimit } from '../rate-limit/unauthenticated.rate-limit';
import type { ApiKeyAuthenticator } from './api-key.authenticator';
import { presentedApiKey } from './api-key.credentials';
import type { AuthenticatedRequest } from './api-key.guard';
import { PUBLIC_ROUTE } from './roles.decorator';

/**
 * The API key is checked in the first hook of every request, before its body is read: a caller
 * without a valid key costs a hash, never a parse, whatever it sends and to whichever path
 * (unknown ones included). Refusals count against the caller's address (UnauthenticatedRateLimit).
 * The route's role is checked later by ApiKeyGuard, which needs Nest's metadata.
 *
 * Open without a key: routes marked @Public, the OpenAPI pages under `openPrefix`, and CORS
 * preflights (the CORS plugin's catch-all OPTIONS route), which browsers send without
 * credentials. Call before any route is registered: the marks are set as routes are added.
 */
export function authenticateFirst(
  server: FastifyInstance,
  authenticator: ApiKeyAuthenticator,
  rateLimit: UnauthenticatedRateLimit,
  openPrefix: string,
): void {
  server.addHook('onRoute', (route: RouteOptions) => {
    const docs = route.url === openPrefix || route.url.startsWith(`${openPrefix}/`);
    const preflight = route.method === 'OPTIONS' && route.url === '*';
    if (docs || preflight) route.config = { ...route.config, [PUBLIC_ROUTE]: true };
  });
  server.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config[PUBLIC_ROUTE]) return;
    const presented = presentedApiKey(request.headers);
    const key = presented === undefined ? undefined : authenticator.authenticate(presented);
    if (key) {
      (request as AuthenticatedRequest).apiKey = key;
      return;
    }
    const retryAfter = await rateLimit.overBudget(request.ip);
    answerWithProblem(
      retryAfter !== undefined
        ? tooManyRequests(
            retryAfter,
            'the budget of requests without a valid API key from this address',
          )
        : presented === undefined
          ? unauthorized(
              'send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"',
              'API_KEY_MISSING',
            )
          : unauthorized('the API key is not known', 'API_KEY_UNKNOWN'),
      request,
      reply,
    );
    return reply;
  });
}
