import {
  ENVELOPE_V2_PREFIX,
  ERASED_VALUE,
  EnvelopeUnreadableError,
  envelopeKeyId,
  isEnvelope,
  isV2Envelope,
  openField,
  openRecord,
  sealRecord,
  type DataKey,
} from './field-cipher';
import { personalFieldsOf } from './personal-fields';

type Data = { readonly [key: string]: unknown };

/** Associated data of a field: its event and its place in it. */
export function fieldAssociation(eventId: string, field: string): string {
  return `${eventId}/data/${field}`;
}

/** Associated data of an event's v2 envelope: the event (field names are in the plaintext). */
export function recordAssociation(eventId: string): string {
  return `${eventId}/data`;
}

/**
 * Whether the event carries a personal field in plain text (to seal, or written before
 * sealing). The erased placeholder is no personal data.
 */
export function plainPersonalFields(type: string, data: Data): string[] {
  return personalFieldsOf(type).filter(
    (f) => data[f] !== undefined && data[f] !== ERASED_VALUE && !isEnvelope(data[f]),
  );
}

/**
 * The event's data with every personal field replaced by the erased placeholder: what is
 * recorded for a customer whose key was destroyed (their erasure covers what arrives after it
 * too), and what a reader sees of a sealed field once its key is gone.
 */
export function withoutPersonalData(type: string, data: Data): Data {
  const fields = plainPersonalFields(type, data);
  if (fields.length === 0) return data;
  const erased: Record<string, unknown> = { ...data };
  for (const field of fields) erased[field] = ERASED_VALUE;
  return erased;
}

/**
 * The event's data with every personal field sealed, all in one v2 envelope; the same object
 * when there is none.
 */
export function sealPersonalData(
  eventId: string,
  type: string,
  data: Data,
  key: DataKey,
  fields: readonly string[] = plainPersonalFields(type, data),
): Data {
  if (fields.length === 0) return data;
  const record: Record<string, unknown> = {};
  for (const field of fields) record[field] = data[field];
  const sealed: Record<string, unknown> = { ...data };
  sealed[fields[0]] = sealRecord(key, recordAssociation(eventId), JSON.stringify(record));
  for (let i = 1; i < fields.length; i++)
    sealed[fields[i]] = `${ENVELOPE_V2_PREFIX}${key.keyId}:@${fields[0]}`;
  return sealed;
}

export interface Revealed {
  readonly data: Data;
  /** Fields whose key is gone: they read as ERASED_VALUE. */
  readonly erased: number;
  /** Personal fields found in plain text (stored before encryption was on). */
  readonly plain: number;
}

/**
 * The event's data with its sealed fields opened, or set to ERASED_VALUE when their key is
 * gone (destroyed by an erasure; a new key after it has a new id). Plain fields are left as
 * they are and counted.
 */
export function revealPersonalData(
  eventId: string,
  type: string,
  data: Data,
  key: DataKey | undefined,
): Revealed {
  const fields = personalFieldsOf(type);
  let opened: Record<string, unknown> | undefined;
  let erased = 0;
  let plain = 0;
  for (const field of fields) {
    const value = data[field];
    if (value === undefined || value === ERASED_VALUE) continue;
    if (!isEnvelope(value)) {
      plain++;
      continue;
    }
    opened ??= { ...data };
    if (!key || envelopeKeyId(value) !== key.keyId) {
      opened[field] = ERASED_VALUE;
      erased++;
    } else if (!isV2Envelope(value))
      opened[field] = openField(key, fieldAssociation(eventId, field), value);
    else if (!isReference(value, key)) {
      const record = JSON.parse(openRecord(key, recordAssociation(eventId), value)) as Data;
      // Only the type's personal fields: a record cannot set anything else.
      for (const name of fields) if (name in record) opened[name] = record[name];
    }
  }
  // A reference whose envelope is missing, or does not hold its field: refused, not passed on.
  if (opened)
    for (const field of fields)
      if (isV2Envelope(opened[field]))
        throw new EnvelopeUnreadableError(recordAssociation(eventId), `${field} is not in it`);
  return { data: opened ?? data, erased, plain };
}

function isReference(envelope: string, key: DataKey): boolean {
  return envelope.charCodeAt(ENVELOPE_V2_PREFIX.length + key.keyId.length + 1) === 0x40; // '@'
}

/** Whether the event has personal fields sealed (it needs its customer's key to be read). */
export function hasSealedFields(type: string, data: Data): boolean {
  return personalFieldsOf(type).some((f) => isEnvelope(data[f]));
}
