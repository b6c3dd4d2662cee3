/** Deepest nesting of objects and arrays a request body may have (a batch of touchpoints needs ~10). */
export const MAX_JSON_NESTING = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Where JSON text opens a level deeper than `max`: the byte offset of that bracket, or -1.
 * One pass over the raw bytes, stopping at the first bracket too deep, so a body built to be
 * deep is refused before JSON.parse builds any of it. Brackets inside strings don't count
 * (escapes are skipped); a body that is not valid JSON at all is left for the parser to explain.
 * UTF-8 continuation bytes are all ≥ 0x80, so they can't be mistaken for these ASCII ones.
 */
export function tooDeepAt(bytes: Uint8Array, max = MAX_JSON_NESTING): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPENERS.has(byte)) {
      if (++depth > max) return i;
    } else if (CLOSERS.has(byte)) {
      depth--;
    }
  }
  return -1;
}
