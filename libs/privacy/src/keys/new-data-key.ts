import { randomBytes, randomUUID } from 'node:crypto';
import type { DataKey } from '../fields/field-cipher';

export function newDataKey(): DataKey {
  return { keyId: randomUUID(), material: randomBytes(32) };
}

/** How adapters keep a key: `<keyId>:<base64 material>`. */
export function encodeDataKey(key: DataKey): string {
  return `${key.keyId}:${key.material.toString('base64')}`;
}

export function decodeDataKey(stored: string): DataKey {
  const at = stored.indexOf(':');
  return { keyId: stored.slice(0, at), material: Buffer.from(stored.slice(at + 1), 'base64') };
}
