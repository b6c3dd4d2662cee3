import { badRequest } from '../problem-details';

export const MIN_POSITION_HEADER = 'X-Min-Position';
export const MIN_POSITION_QUERY = 'minPosition';
/** Set on write answers: the position to pass back as X-Min-Position. */
export const POSITION_HEADER = 'X-Position';

interface PositionRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly query?: unknown;
}

/**
 * The position a read asks for, from the header or the query (the higher if both), or
 * undefined. Positions are 64-bit, so they travel as decimal strings.
 */
export function requestedMinPosition(request: PositionRequest): bigint | undefined {
  const header = request.headers[MIN_POSITION_HEADER.toLowerCase()];
  const query = (request.query as Record<string, unknown> | undefined)?.[MIN_POSITION_QUERY];
  const fromHeader = parse(header, MIN_POSITION_HEADER);
  const fromQuery = parse(query, MIN_POSITION_QUERY);
  if (fromHeader === undefined) return fromQuery;
  if (fromQuery === undefined) return fromHeader;
  return fromHeader > fromQuery ? fromHeader : fromQuery;
}

function parse(raw: unknown, name: string): bigint | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,20}$/.test(raw)) {
    throw badRequest(`${name} must be a global position (a non-negative integer)`, [
      { path: name, message: 'must be a decimal integer of at most 20 digits' },
    ]);
  }
  return BigInt(raw);
}
