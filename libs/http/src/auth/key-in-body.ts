import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * The Fastify route config entry of a route that also takes its API key from a field of its
 * JSON body: the field's name.
 */
export const KEY_IN_BODY_ROUTE = 'rapportKeyInBody';

/**
 * The most a caller without a key in its headers may make us read to find one in the body:
 * Segment refuses batches over 500 KB itself, so its trackers never send more.
 */
export const KEY_IN_BODY_MAX_BYTES = 512 * 1024;

/**
 * The route also takes its API key from the body's `field`, for clients that cannot set a
 * header: analytics.js in a browser sends the Segment write key as `writeKey`, with the body
 * labelled text/plain so that its cross-origin POST needs no preflight. A key in the headers
 * still comes first. On each route method, as @Public: Nest fills the route config from it.
 */
export function KeyInBody(field: string): MethodDecorator {
  return RouteConfig({ [KEY_IN_BODY_ROUTE]: field });
}

/** The body field the route takes a key from, if it takes one. */
export function keyInBodyField(request: FastifyRequest): string | undefined {
  return request.routeOptions.config[KEY_IN_BODY_ROUTE];
}

/**
 * Why a request that brings no key in its headers may not have its body read for one: a body
 * of undeclared length (chunked), or longer than KEY_IN_BODY_MAX_BYTES. None: it may, and
 * Fastify then holds it to the declared length.
 */
export function bodyNotReadForKey(request: FastifyRequest): string | undefined {
  const declared = Number(request.headers['content-length']);
  if (request.headers['content-length'] === undefined || !Number.isSafeInteger(declared))
    return 'a body whose key is in it must declare its Content-Length';
  if (declared > KEY_IN_BODY_MAX_BYTES)
    return `a body whose key is in it may be at most ${KEY_IN_BODY_MAX_BYTES} bytes (this one declares ${declared}); send larger ones with the key in the Authorization header`;
  return undefined;
}

/**
 * Takes the key out of the parsed body (so it is neither mapped, stored nor echoed): the text
 * at `field` of a JSON object body, if there is one.
 */
export function takeKeyFromBody(request: FastifyRequest, field: string): string | undefined {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if (!Object.hasOwn(body, field)) return undefined;
  const value = (body as Record<string, unknown>)[field];
  delete (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    [KEY_IN_BODY_ROUTE]?: string;
  }
}
