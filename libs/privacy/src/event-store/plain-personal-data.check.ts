import type { EventStore } from '@rapport/event-store';
import { plainPersonalFields } from '../fields/event-protection';

/** Events written before encryption are the oldest: the start of the log tells. */
const LOOK_AT_FIRST = 10_000;

export interface PlainPersonalData {
  /** Of the events looked at, those with a personal field in plain text. */
  readonly events: number;
  readonly lookedAt: number;
}

/**
 * How many of the first events of the store carry personal fields in plain text: written
 * before encryption was on, out of an erasure's reach (see README, Erasure).
 */
export async function findPlainPersonalData(raw: EventStore): Promise<PlainPersonalData> {
  const first = await raw.readAll({ maxCount: LOOK_AT_FIRST });
  const events = first.filter((e) => plainPersonalFields(e.type, e.data).length > 0).length;
  return { events, lookedAt: first.length };
}
