import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { PUBLIC_ROUTE } from '../auth/roles.decorator';
import { DASHBOARD_CSP } from './dashboard.csp';

/**
 * Where `npm run build:dashboard` put the bundle: dist/dashboard beside the package root,
 * found from this file whether it runs from source (ts-node, Jest) or from dist.
 */
export function findDashboardDir(from = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'dist', 'dashboard'), join(dir, 'dashboard')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Serves the analyst dashboard at `/` on the app's own port. Its files are public (the page
 * itself holds no data; it asks for an API key and sends it on every /v1 call), so its routes
 * are marked open for authenticateFirst; every other path still needs a key. Only the files
 * of the bundle get routes (no wildcard), so an unknown path stays the API's 401 or 404.
 * Call before `listen`.
 */
export async function serveDashboard(
  app: NestFastifyApplication,
  root = findDashboardDir(),
): Promise<boolean> {
  const logger = new Logger('Dashboard');
  if (!root) {
    logger.warn('the dashboard is not built (npm run build:dashboard): nothing served at /');
    return false;
  }
  const server = app.getHttpAdapter().getInstance() as FastifyInstance;
  await server.register(async (scope) => {
    scope.addHook('onRoute', (route: RouteOptions) => {
      route.config = { ...route.config, [PUBLIC_ROUTE]: true };
    });
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('Content-Security-Policy', DASHBOARD_CSP);
      return payload;
    });
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders: (response, path) =>
        response.setHeader(
          'Cache-Control',
          // Bundle files carry a content hash in their name; index.html names the current ones.
          path.includes(`${join('assets', '')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        ),
    });
  });
  logger.log(`dashboard served at / from ${root}`);
  return true;
}
