import {
  knownIdentifierTypes,
  normaliseIdentifierValue,
  type IdentifierNormalisation,
} from '@rapport/contract';
import type { Identifier } from '@rapport/domain';
import type { ProblemError } from '@rapport/http/problems';

export type ParsedIdentifier =
  | { readonly ok: true; readonly identifier: Identifier }
  | { readonly ok: false; readonly errors: ProblemError[] };

/**
 * An identifier named in a request, normalised exactly as the touchpoint contract does (so
 * ` Ada@Example.com` finds what `ada@example.com` linked); each problem names its parameter.
 */
export function parseIdentifierParam(
  type: string,
  value: string,
  paths: { readonly type: string; readonly value: string },
  options: IdentifierNormalisation,
): ParsedIdentifier {
  const known = knownIdentifierTypes(options);
  if (!known.has(type))
    return {
      ok: false,
      errors: [{ path: paths.type, message: `must be one of ${[...known].join(', ')}` }],
    };
  const normalised = normaliseIdentifierValue(type, value, options);
  if (!normalised.ok)
    return { ok: false, errors: [{ path: paths.value, message: normalised.message }] };
  return { ok: true, identifier: { type, value: normalised.value } };
}

/** `type:value` (the customers list's `identifier` filter); the value may hold colons. */
export function parseIdentifierFilter(
  text: string,
  options: IdentifierNormalisation,
): ParsedIdentifier {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1)
    return {
      ok: false,
      errors: [{ path: 'identifier', message: 'must be type:value, e.g. email:ada@example.com' }],
    };
  return parseIdentifierParam(
    text.slice(0, at),
    text.slice(at + 1),
    { type: 'identifier', value: 'identifier' },
    options,
  );
}
