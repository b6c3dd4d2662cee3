import { hash } from 'node:crypto';
import { RAPPORT_EVENT_NAMESPACE } from '@rapport/domain';
import { parse as parseUuid } from 'uuid';

/** Longest name hashed without allocating: a source and a touchpoint id are far shorter. */
const SCRATCH_NAME_BYTES = 1024;
/**
 * The namespace followed by the name, reused by every call: ingest derives an id per
 * touchpoint, and uuid's v5 allocated ~1.7 KB doing it (a byte array per name, a Hash object).
 */
const scratch = Buffer.alloc(16 + SCRATCH_NAME_BYTES);
scratch.set(parseUuid(RAPPORT_EVENT_NAMESPACE));
/** Views of the scratch buffer by length, each made once: a view per call was an object per id. */
const scratchViews: Buffer[] = [];
/** The id's text is written here, dashes in place, and read as one string. */
const idText = Buffer.from('00000000-0000-5000-8000-000000000000', 'latin1');
/** Where each of the 16 bytes' two hex digits go in the id's text. */
const HEX_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * The domain's eventIdFor (UUID v5 of source + touchpointId, RFC 9562 §5.5), as the write path
 * computes it for every touchpoint: computed with one SHA-1 over a reused buffer and
 * formatted in another, so that the id is the only string made (formatting it from hex slices
 * made a dozen, ~570 bytes an id).
 */
export function hashEventId(source: string, touchpointId: string): string {
  let digest: string;
  if ((source.length + 1 + touchpointId.length) * 3 <= SCRATCH_NAME_BYTES) {
    // Written apart, as `${source}/${touchpointId}` encodes: no pair of UTF-16 halves spans "/".
    const slash = 16 + scratch.write(source, 16, 'utf8');
    scratch[slash] = 0x2f;
    const end = slash + 1 + scratch.write(touchpointId, slash + 1, 'utf8');
    // 'binary' is latin1: one character a byte of the digest.
    digest = hash('sha1', (scratchViews[end] ??= scratch.subarray(0, end)), 'binary');
  } else {
    const name = Buffer.from(`${source}/${touchpointId}`, 'utf8');
    digest = hash('sha1', Buffer.concat([scratch.subarray(0, 16), name]), 'binary');
  }
  for (let i = 0; i < 16; i++) {
    let byte = digest.charCodeAt(i);
    if (i === 6)
      byte = (byte & 0x0f) | 0x50; // version 5
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // variant 1 (RFC 9562)
    idText[HEX_AT[i]] = HEX_DIGITS[byte >> 4];
    idText[HEX_AT[i] + 1] = HEX_DIGITS[byte & 0x0f];
  }
  return idText.toString('latin1');
}
