/**
 * Routes that answer from the views, so they all honour X-Min-Position: GET (and HEAD) under
 * /v1, and the refit, which recomputes the insights from the views and must see the caller's
 * writes in them. A route that reads no view says so itself: @ReadsNoView().
 */
export function isReadRoute(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return path.startsWith('/v1/');
  return method === 'POST' && (path === '/v1/model/fit' || path.startsWith('/v1/model/fit?'));
}
