import { hash } from 'node:crypto';
import { parse as parseUuid } from 'uuid';

/** Fixed namespace for Rapport event ids; changing it would break idempotency of redeliveries. */
const RAPPORT_EVENT_NAMESPACE = '6f1c6c0e-5a7b-4d3e-9c57-3b8f2b1d9a41';
/** Longest name hashed without allocating: a source and a touchpoint id are far shorter. */
const SCRATCH_NAME_BYTES = 1024;
/**
 * The namespace followed by the name, reused by every call: ingest derives an id per
 * touchpoint, and uuid's v5 allocated ~1.7 KB doing it (a byte array per name, a Hash object).
 */
const scratch = Buffer.alloc(16 + SCRATCH_NAME_BYTES);
scratch.set(parseUuid(RAPPORT_EVENT_NAMESPACE));
/** UUID variant 1: the top two bits of byte 8 become 10, kept are the next two. */
const VARIANT = '89ab89ab89ab89ab';
const HEX = '0123456789abcdef';

/**
 * Deterministic event id (UUID v5 of source + touchpointId): a redelivered message always
 * maps to the same id, so the store can recognise it and never write a second event. The same
 * id uuid's v5 gives (RFC 9562 §5.5), computed with one SHA-1 over a reused buffer.
 */
export function eventIdFor(source: string, touchpointId: string): string {
  const name = `${source}/${touchpointId}`;
  const bytes =
    name.length * 3 <= SCRATCH_NAME_BYTES
      ? scratch.subarray(0, 16 + scratch.write(name, 16, 'utf8'))
      : Buffer.concat([scratch.subarray(0, 16), Buffer.from(name, 'utf8')]);
  const h = hash('sha1', bytes, 'hex');
  return (
    `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-` +
    `${VARIANT[HEX.indexOf(h[16])]}${h.slice(17, 20)}-${h.slice(20, 32)}`
  );
}
