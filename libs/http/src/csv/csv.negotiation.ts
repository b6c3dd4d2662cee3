import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import { badRequest } from '../problem-details';

export const FORMAT_QUERY = 'format';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

interface NegotiableRequest {
  readonly query?: unknown;
  readonly raw: IncomingMessage;
}

/**
 * CSV when `?format=csv`, or when Accept prefers text/csv over JSON; JSON otherwise (also for
 * `Accept: *\/*`). `?format=json` wins over Accept.
 */
export function wantsCsv(request: NegotiableRequest): boolean {
  const format = (request.query as Record<string, unknown> | undefined)?.[FORMAT_QUERY];
  if (format !== undefined) {
    if (format === 'csv') return true;
    if (format === 'json') return false;
    throw badRequest('format must be json or csv', [
      { path: FORMAT_QUERY, message: 'must be one of: json, csv' },
    ]);
  }
  return accepts(request.raw).type(['application/json', 'text/csv']) === 'text/csv';
}
