import type { INestApplication } from '@nestjs/common';

export interface RegisteredRoute {
  readonly method: string;
  /** Express pattern, e.g. /v1/customers/:customerId */
  readonly path: string;
}

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/**
 * The controller routes the running app really serves, read from Express's router: the
 * OpenAPI and access-matrix specs check these, so a new route can't slip past them. Swagger
 * UI's own files and catch-all middleware are left out.
 */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const express = app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  const stack = (express.router ?? express._router)?.stack ?? [];
  return stack.flatMap((layer) => {
    const route = layer.route;
    if (!route || route.path.startsWith('/docs') || route.path.includes('*')) return [];
    return Object.keys(route.methods).map((method) => ({
      method: method.toUpperCase(),
      path: route.path,
    }));
  });
}

/** /v1/customers/:customerId → /v1/customers/{customerId} */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
