import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * One personal field, encrypted with the customer's data key (AES-256-GCM), in place of its
 * value: `enc:v1:<keyId>:<iv>:<ciphertext+tag>` (base64url). The value is JSON before
 * encryption, so any JSON value fits. The associated data binds a ciphertext to its event id
 * and field: one copied into another event or field does not decrypt.
 */
export const ENVELOPE_PREFIX = 'enc:v1:';

/** What a personal field reads as once its key is destroyed. */
export const ERASED_VALUE = '(erased)';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface DataKey {
  /** Names the key in envelopes: a key made after an erasure has a new id. */
  readonly keyId: string;
  /** 32 bytes. Never logged, never serialised outside the key store. */
  readonly material: Buffer;
}

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/**
 * Random IVs drawn from a pool filled 4,096 at a time: one CSPRNG call per IV cost more than
 * the encryption itself on the ingest path. Every IV is still random (never a counter), so two
 * processes sealing with one key cannot repeat one.
 */
const IV_POOL = Buffer.alloc(IV_BYTES * 4096);
let ivAt = IV_POOL.length;

function nextIv(): Buffer {
  if (ivAt === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivAt = 0;
  }
  // A copy: the pool is refilled in place.
  const iv = Buffer.from(IV_POOL.subarray(ivAt, ivAt + IV_BYTES));
  ivAt += IV_BYTES;
  return iv;
}

export function sealField(key: DataKey, associated: string, value: unknown): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify(value), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${ENVELOPE_PREFIX}${key.keyId}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

/** The key id an envelope was sealed with. */
export function envelopeKeyId(envelope: string): string {
  const end = envelope.indexOf(':', ENVELOPE_PREFIX.length);
  return end < 0 ? '' : envelope.slice(ENVELOPE_PREFIX.length, end);
}

/** A field that is not ours, or broken: refused with what is wrong, never the value. */
export class EnvelopeUnreadableError extends Error {
  readonly code = 'ENVELOPE_UNREADABLE';
  readonly retryable = false;
  constructor(associated: string, why: string, options?: { cause?: unknown }) {
    super(`encrypted field ${associated} cannot be read: ${why}`, options);
    this.name = 'EnvelopeUnreadableError';
  }
}

export function openField(key: DataKey, associated: string, envelope: string): unknown {
  const parts = envelope.slice(ENVELOPE_PREFIX.length).split(':');
  if (parts.length !== 3 || parts[0] !== key.keyId)
    throw new EnvelopeUnreadableError(associated, 'not sealed with this key');
  const iv = Buffer.from(parts[1], 'base64url');
  const sealed = Buffer.from(parts[2], 'base64url');
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES)
    throw new EnvelopeUnreadableError(associated, 'malformed envelope');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch (error) {
    throw new EnvelopeUnreadableError(associated, 'authentication failed', { cause: error });
  }
}
