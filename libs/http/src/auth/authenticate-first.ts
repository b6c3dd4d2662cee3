import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { answerWithProblem } from '../problem-details.filter';
import { tooManyRequests, unauthorized } from '../problem-details';
import type { UnauthenticatedRateLimit } from '../rate-limit/unauthenticated.rate-limit';
import type { ApiKeyAuthenticator } from './api-key.authenticator';
import { presentedApiKey } from './api-key.credentials';
import type { AuthenticatedRequest } from './api-key.guard';
import { bodyNotReadForKey, keyInBodyField, takeKeyFromBody } from './key-in-body';
import { PUBLIC_ROUTE } from './roles.decorator';

/**
 * The API key is checked in the first hook of every request, before its body is read: a caller
 * without a valid key costs a hash, never a parse, whatever it sends and to whichever path
 * (unknown ones included). Refusals count against the caller's address (UnauthenticatedRateLimit).
 * The route's role is checked later by ApiKeyGuard, which needs Nest's metadata.
 *
 * A route marked @KeyInBody (the Segment routes) may instead find the key in a field of its
 * body, for browsers that cannot send a header: without a key in the headers, its body is read
 * only when it declares at most KEY_IN_BODY_MAX_BYTES, and the key is checked once it is parsed
 * (preValidation), before any handler; a deep body is still refused by the parser's byte scan
 * before any JSON.parse.
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
    const bodyKey = presented === undefined ? keyInBodyField(request) : undefined;
    // Its key may be in its body: read a small one for it, and decide in preValidation.
    const unread = bodyKey === undefined ? undefined : bodyNotReadForKey(request);
    if (bodyKey !== undefined && unread === undefined) return;
    await refuse(request, reply, presented, unread ?? keyHint(bodyKey));
    return reply;
  });
  server.addHook('preValidation', async (request, reply) => {
    const field = keyInBodyField(request);
    if (field === undefined) return;
    const inBody = takeKeyFromBody(request, field);
    if ((request as AuthenticatedRequest).apiKey) return;
    const key = inBody === undefined ? undefined : authenticator.authenticate(inBody);
    if (key) {
      (request as AuthenticatedRequest).apiKey = key;
      return;
    }
    await refuse(request, reply, inBody, keyHint(field));
    return reply;
  });

  /** 401 (429 once the caller's address is over its budget of requests without a valid key). */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    presented: string | undefined,
    missing: string,
  ): Promise<void> {
    const retryAfter = await rateLimit.overBudget(request.ip);
    answerWithProblem(
      retryAfter !== undefined
        ? tooManyRequests(
            retryAfter,
            'the budget of requests without a valid API key from this address',
          )
        : presented === undefined
          ? unauthorized(missing, 'API_KEY_MISSING')
          : unauthorized('the API key is not known', 'API_KEY_UNKNOWN'),
      request,
      reply,
    );
  }
}

function keyHint(bodyField: string | undefined): string {
  const header = 'send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"';
  return bodyField === undefined
    ? header
    : `${header}, the write key as the HTTP Basic user name, or as "${bodyField}" in the JSON body`;
}
