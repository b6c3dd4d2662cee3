import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for Rapport event ids; changing it would break idempotency of redeliveries. */
export const RAPPORT_EVENT_NAMESPACE = '6f1c6c0e-5a7b-4d3e-9c57-3b8f2b1d9a41';

/**
 * Deterministic event id (UUID v5 of source + touchpointId): a redelivered message always
 * maps to the same id, so the store can recognise it and never write a second event. The write
 * path computes the same id without allocating (libs/recording's hashEventId).
 */
export function eventIdFor(source: string, touchpointId: string): string {
  return uuidv5(`${source}/${touchpointId}`, RAPPORT_EVENT_NAMESPACE);
}
