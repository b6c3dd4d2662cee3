import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { ApiRole } from '@rapport/config';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { API_KEY_SCHEME, BEARER_SCHEME } from '../openapi/openapi.schemes';

export const ROLES_KEY = 'rapport:roles';
export const PUBLIC_KEY = 'rapport:public';

/**
 * Who may call a route (or every route of a controller): any of the roles given; `admin` may
 * call everything. Also documents the security schemes and the 401/403/429 answers in OpenAPI.
 * A route without @Roles or @Public is admin-only, so forgetting it fails closed.
 */
export function Roles(...roles: [ApiRole, ...ApiRole[]]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiProblemResponses(401, 403, 429),
  );
}

/**
 * No key needed and no rate limit (health probes). Keep it to routes that reveal nothing. On
 * each route method, not on a controller: the key is checked before Nest knows the controller,
 * from the Fastify route's config, which Nest fills from the method alone.
 */
export function Public(): MethodDecorator {
  return applyDecorators(
    SetMetadata(PUBLIC_KEY, true),
    RouteConfig({ [PUBLIC_ROUTE]: true }),
    SkipThrottle(),
  );
}

/** The Fastify route config flag of a route that needs no key (see authenticateFirst). */
export const PUBLIC_ROUTE = 'rapportPublic';

declare module 'fastify' {
  interface FastifyContextConfig {
    [PUBLIC_ROUTE]?: boolean;
  }
}
