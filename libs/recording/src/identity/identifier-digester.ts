import { createHmac } from 'node:crypto';
import type { Identifier } from '@rapport/domain';

/** The key identifier streams are named with (HMAC), kept apart from the log. */
export const IDENTIFIER_DIGEST_KEY = Symbol('IDENTIFIER_DIGEST_KEY');

/**
 * The reserved id under which the platform keeps the digest key in its key store (beside the
 * customers' keys, away from the log): a customer can never be named so, since it holds a
 * character the customerId pattern refuses.
 */
export const IDENTITY_INDEX_KEY_ID = '#identity-index';

/**
 * Used only where no key was given (tests and benches over a bare store): digests are then as
 * guessable as a plain hash, and a store written so must keep being written so.
 */
const UNKEYED = Buffer.from('rapport/identity-index/unkeyed');

/**
 * Keyed digest (HMAC-SHA-256) of an identifier's type and normalised value: it names the
 * identifier's stream and is what the graph compares, so the value itself never names anything
 * and appears only sealed inside IdentifierLinked.
 */
export class IdentifierDigester {
  constructor(private readonly key: Buffer = UNKEYED) {}

  get keyed(): boolean {
    return this.key !== UNKEYED;
  }

  digest(identifier: Identifier): string {
    return createHmac('sha256', this.key)
      .update(identifier.type)
      .update('\u0000')
      .update(identifier.value)
      .digest('hex');
  }
}

/** What holds the digest key: the platform's key store (KEY_STORE), structurally. */
export interface DigestKeyHolder {
  getOrCreateMany(ids: readonly string[]): Promise<Map<string, { readonly material: Buffer }>>;
}

/** The digest key, made once and kept in the key store under IDENTITY_INDEX_KEY_ID. */
export async function identityIndexKey(keys: DigestKeyHolder): Promise<Buffer> {
  const key = (await keys.getOrCreateMany([IDENTITY_INDEX_KEY_ID])).get(IDENTITY_INDEX_KEY_ID);
  if (!key) throw new Error('the key store made no identity index key');
  return key.material;
}
