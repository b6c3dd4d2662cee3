import {
  ERASED_VALUE,
  envelopeKeyId,
  isEnvelope,
  openField,
  sealField,
  type DataKey,
} from './field-cipher';
import { personalFieldsOf } from './personal-fields';

type Data = { readonly [key: string]: unknown };

/** Associated data of a field: its event and its place in it. */
export function fieldAssociation(eventId: string, field: string): string {
  return `${eventId}/data/${field}`;
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

/** The event's data with every personal field sealed; the same object when there is none. */
export function sealPersonalData(eventId: string, type: string, data: Data, key: DataKey): Data {
  const fields = plainPersonalFields(type, data);
  if (fields.length === 0) return data;
  const sealed: Record<string, unknown> = { ...data };
  for (const field of fields)
    sealed[field] = sealField(key, fieldAssociation(eventId, field), data[field]);
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
    if (key && envelopeKeyId(value) === key.keyId)
      opened[field] = openField(key, fieldAssociation(eventId, field), value);
    else {
      opened[field] = ERASED_VALUE;
      erased++;
    }
  }
  return { data: opened ?? data, erased, plain };
}

/** Whether the event has personal fields sealed (it needs its customer's key to be read). */
export function hasSealedFields(type: string, data: Data): boolean {
  return personalFieldsOf(type).some((f) => isEnvelope(data[f]));
}
