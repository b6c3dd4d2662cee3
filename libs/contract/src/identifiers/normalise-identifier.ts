import { isEmail } from 'class-validator';
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';
import { BUILT_IN_IDENTIFIER_TYPES } from '@rapport/domain';
import { CUSTOMER_ID_PATTERN } from '../touchpoint.request.dto';
import { isPlainEmail } from './plain-email';

/** How identifier values are normalised: configured once (IDENTITY_* settings). */
export interface IdentifierNormalisation {
  /** ISO 3166 region for phone numbers written without a country code (e.g. "DE"). */
  readonly defaultRegion?: string;
  /** Identifier types beyond the built-in ones (IDENTITY_EXTRA_TYPES). */
  readonly extraTypes?: readonly string[];
}

export type NormalisedValue =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

/** Names a configured identifier type may take: the shape of the built-in ones. */
export const IDENTIFIER_TYPE_PATTERN = /^[a-z][A-Za-z0-9]{0,31}$/;
/** Opaque ids (anonymous visitor, loyalty card, configured types): printable, no spaces. */
const OPAQUE_VALUE = /^[\x21-\x7e]{1,128}$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_PHONE_INPUT_LENGTH = 40;

export function knownIdentifierTypes(options: IdentifierNormalisation = {}): ReadonlySet<string> {
  return new Set([...BUILT_IN_IDENTIFIER_TYPES, ...(options.extraTypes ?? [])]);
}

/**
 * The value two channels must agree on to mean the same person: an email trimmed and in lower
 * case, a phone number in E.164 (libphonenumber-js, the default region for national numbers),
 * anything else trimmed. A value that cannot be normalised says why, for a 400 or dead letter.
 */
export function normaliseIdentifierValue(
  type: string,
  value: string,
  options: IdentifierNormalisation = {},
): NormalisedValue {
  const trimmed = value.trim();
  switch (type) {
    case 'email': {
      const email = trimmed.toLowerCase();
      if (email.length > MAX_EMAIL_LENGTH || !(isPlainEmail(email) || isEmail(email)))
        return { ok: false, message: 'is not an email address' };
      return { ok: true, value: email };
    }
    case 'phone':
      return normalisePhone(trimmed, options.defaultRegion);
    case 'customerId':
      return CUSTOMER_ID_PATTERN.test(trimmed)
        ? { ok: true, value: trimmed }
        : {
            ok: false,
            message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
          };
    default:
      return OPAQUE_VALUE.test(trimmed)
        ? { ok: true, value: trimmed }
        : { ok: false, message: 'must be 1–128 printable ASCII characters without spaces' };
  }
}

function normalisePhone(text: string, region: string | undefined): NormalisedValue {
  const defaultCountry = region && isSupportedCountry(region) ? (region as CountryCode) : undefined;
  const phone =
    text.length <= MAX_PHONE_INPUT_LENGTH
      ? parsePhoneNumberFromString(text, defaultCountry)
      : undefined;
  if (phone?.isValid()) return { ok: true, value: phone.number };
  return {
    ok: false,
    message: defaultCountry
      ? `is not a phone number (national numbers are read as ${defaultCountry})`
      : 'is not a phone number in international form (+ and country code; no default region is configured)',
  };
}
