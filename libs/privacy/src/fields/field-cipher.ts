import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * One personal field, encrypted with the customer's data key (AES-256-GCM), in place of its
 * value: `enc:v1:<keyId>:<iv>:<ciphertext+tag>` (base64url). The value is JSON before
 * encryption, so any JSON value fits. The associated data binds a ciphertext to its event id
 * and field: one copied into another event or field does not decrypt.
 */
export const ENVELOPE_PREFIX = 'enc:v1:';

/**
 * All personal fields of one event in one envelope, one AES-256-GCM operation:
 * `enc:v2:<keyId>:<iv+ciphertext+tag>` (one base64url), the plaintext a JSON object of the
 * fields. Sealing an event field by field cost a cipher set-up and two encodings per field.
 * The envelope sits in the event's first personal field; the others hold a reference,
 * `enc:v2:<keyId>:@<that field>`, so that every personal field still reads as sealed, with
 * its key id. Events sealed as v1 keep opening as v1: nothing stored is rewritten.
 */
export const ENVELOPE_V2_PREFIX = 'enc:v2:';

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
  return (
    typeof value === 'string' &&
    (value.startsWith(ENVELOPE_PREFIX) || value.startsWith(ENVELOPE_V2_PREFIX))
  );
}

export function isV2Envelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_V2_PREFIX);
}

/**
 * Random IVs drawn from a pool filled 4,096 at a time: one CSPRNG call per IV cost more than
 * the encryption itself on the ingest path. Every IV is still random (never a counter), so two
 * processes sealing with one key cannot repeat one.
 */
const IV_POOL = Buffer.alloc(IV_BYTES * 4096);
let ivAt = IV_POOL.length;

function nextIv(): Buffer {
  // A copy: the pool is refilled in place.
  return Buffer.from(nextIvInPlace());
}

/** A view into the pool: valid until the next call (the pool may be refilled then). */
function nextIvInPlace(): Buffer {
  if (ivAt === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivAt = 0;
  }
  const iv = IV_POOL.subarray(ivAt, ivAt + IV_BYTES);
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

/** One v2 envelope of `plaintext` (the JSON of an event's personal fields). */
export function sealRecord(key: DataKey, associated: string, plaintext: string): string {
  const iv = nextIvInPlace();
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = cipher.update(plaintext, 'utf8');
  cipher.final();
  const out = Buffer.allocUnsafe(IV_BYTES + body.length + TAG_BYTES);
  iv.copy(out, 0);
  body.copy(out, IV_BYTES);
  cipher.getAuthTag().copy(out, IV_BYTES + body.length);
  return `${ENVELOPE_V2_PREFIX}${key.keyId}:${out.toString('base64url')}`;
}

/** The plaintext of a v2 envelope (not a reference), or EnvelopeUnreadableError. */
export function openRecord(key: DataKey, associated: string, envelope: string): string {
  const at = envelope.indexOf(':', ENVELOPE_V2_PREFIX.length);
  if (at < 0 || envelope.slice(ENVELOPE_V2_PREFIX.length, at) !== key.keyId)
    throw new EnvelopeUnreadableError(associated, 'not sealed with this key');
  const sealed = Buffer.from(envelope.slice(at + 1), 'base64url');
  if (sealed.length < IV_BYTES + TAG_BYTES)
    throw new EnvelopeUnreadableError(associated, 'malformed envelope');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES));
    decipher.final();
    return plain.toString('utf8');
  } catch (error) {
    throw new EnvelopeUnreadableError(associated, 'authentication failed', { cause: error });
  }
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
