/** Read routes: GET (and HEAD) under /v1. They all honour X-Min-Position. */
export function isReadRoute(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && path.startsWith('/v1/');
}
