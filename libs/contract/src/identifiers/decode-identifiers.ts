import type { Identifier } from '@rapport/domain';
import { DERIVED_PROFILE_PREFIX } from '@rapport/identity';
import { joinPath, type FieldProblem } from '../field-problem';
import {
  knownIdentifierTypes,
  normaliseIdentifierValue,
  type IdentifierNormalisation,
} from './normalise-identifier';

/** Segment caps a profile at 1,000 identifiers; one message names a handful. */
export const MAX_IDENTIFIERS_PER_TOUCHPOINT = 20;

export interface DecodedIdentity {
  /** Given as the field, or as an identifier of type customerId (the same thing). */
  readonly customerId?: string;
  /** Normalised, without duplicates and without the customerId. */
  readonly identifiers: readonly Identifier[];
  readonly problems: readonly FieldProblem[];
}

/**
 * Reads who a touchpoint is about: its `customerId` and its `identifiers` (`{ type, value }`
 * each), every value normalised and every problem named with its path (`identifiers[2].value`).
 * At least one of the two must name the customer.
 */
export function decodeIdentity(
  customerId: unknown,
  raw: unknown,
  options: IdentifierNormalisation = {},
): DecodedIdentity {
  const problems: FieldProblem[] = [];
  // class-validator's IsOptional lets null through: a null customerId names no one, and says so.
  if (customerId !== undefined && typeof customerId !== 'string')
    problems.push({
      path: 'customerId',
      message: 'customerId must be a string (leave it out when identifiers name the customer)',
    });
  const given = typeof customerId === 'string' ? customerId : undefined;
  if (given !== undefined && isDerivedProfileId(given))
    problems.push(derivedProfileNamed('customerId', given));
  if (raw === undefined) {
    if (given === undefined && problems.length === 0) problems.push(whoIsMissing());
    return { customerId: given, identifiers: [], problems };
  }
  if (!Array.isArray(raw)) {
    problems.push({
      path: 'identifiers',
      message: 'identifiers must be an array of { "type", "value" } objects',
    });
    return { customerId: given, identifiers: [], problems };
  }
  if (raw.length > MAX_IDENTIFIERS_PER_TOUCHPOINT) {
    problems.push({
      path: 'identifiers',
      message: `identifiers has ${raw.length} items; at most ${MAX_IDENTIFIERS_PER_TOUCHPOINT} are accepted`,
    });
    return { customerId: given, identifiers: [], problems };
  }
  const types = knownIdentifierTypes(options);
  let named = given;
  const identifiers: Identifier[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const path = joinPath('identifiers', String(index));
    const identifier = readItem(item, path, types, options, problems);
    if (!identifier) return;
    if (identifier.type === 'customerId') {
      if (isDerivedProfileId(identifier.value)) {
        problems.push(derivedProfileNamed(`${path}.value`, identifier.value));
        return;
      }
      if (named !== undefined && named !== identifier.value) {
        problems.push({
          path: `${path}.value`,
          message: `${path}.value names customer "${identifier.value}" but the touchpoint names "${named}": one touchpoint is about one customer`,
        });
      }
      named ??= identifier.value;
      return;
    }
    const key = `${identifier.type}:${identifier.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    identifiers.push(identifier);
  });
  if (named === undefined && identifiers.length === 0 && problems.length === 0)
    problems.push(whoIsMissing());
  return { customerId: named, identifiers, problems };
}

function readItem(
  item: unknown,
  path: string,
  types: ReadonlySet<string>,
  options: IdentifierNormalisation,
  problems: FieldProblem[],
): Identifier | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    problems.push({ path, message: `${path} must be an object such as { "type": "email", "value": "a@example.com" }` });
    return undefined;
  }
  const fields = item as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(fields)) {
    if (key !== 'type' && key !== 'value')
      problems.push({ path: `${path}.${key}`, message: `property ${key} should not exist` });
  }
  const { type, value } = fields;
  if (typeof type !== 'string') {
    problems.push({ path: `${path}.type`, message: `${path}.type is required (a string)` });
  } else if (!types.has(type)) {
    problems.push({
      path: `${path}.type`,
      message: `${path}.type must be one of: ${[...types].join(', ')}`,
    });
  }
  if (typeof value !== 'string') {
    problems.push({ path: `${path}.value`, message: `${path}.value is required (a string)` });
  }
  if (problems.length > before) return undefined;
  const normalised = normaliseIdentifierValue(type as string, value as string, options);
  if (!normalised.ok) {
    problems.push({ path: `${path}.value`, message: `${path}.value ${normalised.message}` });
    return undefined;
  }
  return { type: type as string, value: normalised.value };
}

/**
 * Ids starting with `profile.` name the profiles Rapport derives from identifiers: a channel
 * system's customer so named would be taken for one (ranked after named customers, its limits
 * counted as a derived profile's). Refused, so that a derived id is never ambiguous.
 */
export function isDerivedProfileId(customerId: string): boolean {
  return customerId.startsWith(DERIVED_PROFILE_PREFIX);
}

function derivedProfileNamed(path: string, id: string): FieldProblem {
  return {
    path,
    message: `${path} "${id}" starts with "${DERIVED_PROFILE_PREFIX}", which Rapport reserves for profiles it derives from identifiers: send the channel system's own customer id, or only the identifiers`,
  };
}

function whoIsMissing(): FieldProblem {
  return {
    path: 'customerId',
    message: 'customerId is required unless identifiers name the customer (give either or both)',
  };
}
