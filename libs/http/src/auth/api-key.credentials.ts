import type { IncomingHttpHeaders } from 'node:http';

/**
 * The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`, or
 * HTTP Basic with the key as the user name, as Segment's trackers send their write key
 * (`Basic base64("<key>:")`; the password is not used).
 */
export function presentedApiKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (bearer) return bearer[1];
    const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(authorization);
    return basic ? basicUserName(basic[1]) : undefined;
  }
  const header = headers['x-api-key'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value || undefined;
}

/** RFC 7617: base64 of `user:password`; a credential without the colon is malformed. */
function basicUserName(encoded: string): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}
