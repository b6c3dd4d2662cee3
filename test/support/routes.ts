import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RegisteredRoute {
  readonly method: string;
  /** Route pattern, e.g. /v1/customers/:customerId */
  readonly path: string;
}

const routesOf = new WeakMap<object, RegisteredRoute[]>();

/**
 * Records the routes Fastify is given from here on: call it before the app starts listening
 * (Nest registers its controllers then). HEAD routes Fastify adds for each GET, Swagger UI's
 * own files, the dashboard's files and catch-alls are left out.
 */
export function recordRoutes(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as FastifyInstance;
  const routes: RegisteredRoute[] = [];
  routesOf.set(app, routes);
  server.addHook('onRoute', (route: RouteOptions) => {
    // Hidden from the schema: the dashboard's static files (public by design, not API routes).
    if (route.url.startsWith('/docs') || route.url.includes('*') || hiddenFromSchema(route)) return;
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, path: route.url });
  });
}

function hiddenFromSchema(route: RouteOptions): boolean {
  return (route.schema as { hide?: boolean } | undefined)?.hide === true;
}

/**
 * The controller routes the running app really serves (see recordRoutes): the OpenAPI and
 * access-matrix specs check these, so a new route can't slip past them.
 */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const routes = routesOf.get(app);
  if (!routes) throw new Error('recordRoutes(app) was not called before the app started');
  return routes;
}

/** /v1/customers/:customerId → /v1/customers/{customerId} */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
