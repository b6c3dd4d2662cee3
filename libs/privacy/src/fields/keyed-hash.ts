import { createHmac, hkdfSync } from 'node:crypto';
import type { DataKey } from './field-cipher';

/**
 * A keyed hash (HMAC-SHA-256) of an identifier, for matching (is this the email we know?)
 * without keeping the identifier readable. The hash key is derived from the customer's data
 * key, so it is destroyed with it: after an erasure no stored hash can be matched any more.
 * Identifiers are normalised first (trimmed, lower case) so that equal ones match.
 */
export function keyedHash(key: DataKey, kind: string, identifier: string): string {
  const hashKey = Buffer.from(
    hkdfSync('sha256', key.material, '', `rapport/keyed-hash/${kind}`, 32),
  );
  return createHmac('sha256', hashKey).update(identifier.trim().toLowerCase()).digest('hex');
}
