import { randomBytes, randomUUID } from 'node:crypto';
import type { DataKey } from '../fields/field-cipher';

const KEY_BYTES = 32;

export function newDataKey(): DataKey {
  return { keyId: randomUUID(), material: randomBytes(KEY_BYTES) };
}

/**
 * `count` keys from one CSPRNG call (a batch's new customers). Each key's material is a copy of
 * its own: no key's Buffer shares memory with another's.
 */
export function newDataKeys(count: number): DataKey[] {
  if (count === 0) return [];
  const pool = randomBytes(KEY_BYTES * count);
  const keys = new Array<DataKey>(count);
  for (let i = 0; i < count; i++) {
    // Buffer.alloc, not Buffer.from: the latter may place small copies in a shared pool.
    const material = Buffer.alloc(KEY_BYTES);
    pool.copy(material, 0, i * KEY_BYTES, (i + 1) * KEY_BYTES);
    keys[i] = { keyId: randomUUID(), material };
  }
  pool.fill(0);
  return keys;
}

/** How adapters keep a key: `<keyId>:<base64 material>`. */
export function encodeDataKey(key: DataKey): string {
  return `${key.keyId}:${key.material.toString('base64')}`;
}

export function decodeDataKey(stored: string): DataKey {
  const at = stored.indexOf(':');
  return { keyId: stored.slice(0, at), material: Buffer.from(stored.slice(at + 1), 'base64') };
}
