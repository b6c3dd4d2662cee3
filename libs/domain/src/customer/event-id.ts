import { hash } from 'node:crypto';
import { parse as parseUuid } from 'uuid';

/** Fixed namespace for Rapport event ids; changing it would break idempotency of redeliveries. */
export const RAPPORT_EVENT_NAMESPACE = '6f1c6c0e-5a7b-4d3e-9c57-3b8f2b1d9a41';

/** The namespace's 16 bytes, parsed once (never written to). */
const NAMESPACE_BYTES = Buffer.from(parseUuid(RAPPORT_EVENT_NAMESPACE));

/**
 * Deterministic event id (UUID v5 of source + touchpointId, RFC 9562 §5.5): a redelivered
 * message always maps to the same id, so the store can recognise it and never write a second
 * event. One SHA-1 over the namespace and the name, formatted from its hex: uuid's v5 parsed
 * and validated the namespace and made a Hash object on every call, which was most of the
 * signal facts' fold. The write path computes the same id without allocating (libs/recording's
 * hashEventId).
 */
export function eventIdFor(source: string, touchpointId: string): string {
  const name = Buffer.from(`${source}/${touchpointId}`, 'utf8');
  const hex = hash('sha1', Buffer.concat([NAMESPACE_BYTES, name]), 'hex');
  // Version 5 in the high nibble of byte 6; variant 1 (10xx) in the high bits of byte 8.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  // Joined, not concatenated: a template makes a rope of a dozen strings that stays one as long
  // as the id is kept (~400 bytes and a dozen objects for the collector to trace in every
  // signal fact); join makes one flat string of 36 bytes.
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
