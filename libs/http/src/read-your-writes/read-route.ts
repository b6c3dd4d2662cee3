/**
 * Routes that answer from the views, so they all honour X-Min-Position: GET (and HEAD) under
 * /v1, and the refit, which recomputes the insights from the views and must see the caller's
 * writes in them. GET /v1/me reads only the caller's key: the dashboard asks it while a view is
 * rebuilding or the read store is refused, to know whether to offer the rebuild.
 */
export function isReadRoute(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return path.startsWith('/v1/') && !isCallerRoute(path);
  return method === 'POST' && (path === '/v1/model/fit' || path.startsWith('/v1/model/fit?'));
}

function isCallerRoute(path: string): boolean {
  return path === '/v1/me' || path.startsWith('/v1/me?');
}
