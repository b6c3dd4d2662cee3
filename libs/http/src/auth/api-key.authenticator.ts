import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiRole } from '@rapport/config';

export interface StoredApiKey {
  readonly id: string;
  readonly role: ApiRole;
  /** Hex SHA-256 of the key. */
  readonly sha256: string;
}

export interface AuthenticatedKey {
  readonly id: string;
  readonly role: ApiRole;
}

export const API_KEY_AUTHENTICATOR = Symbol('API_KEY_AUTHENTICATOR');

/**
 * Knows keys only by their SHA-256. A fast hash is enough here because every key is a long
 * random secret (generated keys carry 256 bits, configured ones must be 20+ characters): a slow
 * password hash defends guessable passwords against offline guessing, which random keys don't
 * need, and it would cost every request milliseconds. The presented key is hashed and compared
 * with every stored hash in constant time, so timing reveals neither which key nor how much of
 * one matched.
 */
export class ApiKeyAuthenticator {
  private readonly keys: ReadonlyArray<{ readonly key: StoredApiKey; readonly digest: Buffer }>;

  constructor(keys: readonly StoredApiKey[]) {
    this.keys = keys.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }));
  }

  get size(): number {
    return this.keys.length;
  }

  authenticate(presented: string): AuthenticatedKey | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: StoredApiKey | undefined;
    for (const { key, digest: stored } of this.keys) {
      // No early exit: every key is compared whatever the outcome.
      if (timingSafeEqual(digest, stored) && !found) found = key;
    }
    return found && { id: found.id, role: found.role };
  }
}

/** `admin` may do everything; otherwise the key's role must be one the route allows. */
export function roleAllows(role: ApiRole, allowed: readonly ApiRole[]): boolean {
  return role === 'admin' || allowed.includes(role);
}
