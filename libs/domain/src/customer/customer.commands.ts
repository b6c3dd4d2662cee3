import type { Touchpoint } from '../touchpoint/touchpoint';

/** Record one validated touchpoint in its customer's stream. */
export type RecordTouchpoint = Readonly<{
  type: 'RecordTouchpoint';
  data: Readonly<{
    touchpoint: Touchpoint;
    /** Wall-clock time of acceptance, supplied by the edge (the domain never reads a clock). */
    ingestedAt: string;
    correlationId: string;
  }>;
}>;

export type CustomerCommand = RecordTouchpoint;

export function recordTouchpoint(
  touchpoint: Touchpoint,
  ingestedAt: string,
  correlationId: string,
): RecordTouchpoint {
  return { type: 'RecordTouchpoint', data: { touchpoint, ingestedAt, correlationId } };
}
