import { isSupportedCountry } from 'libphonenumber-js';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from '@rapport/identity';

export interface IdentityConfig {
  /** IDENTITY_DEFAULT_REGION: ISO 3166 region of phone numbers written without a country code. */
  readonly defaultRegion?: string;
  /** IDENTITY_EXTRA_TYPES: identifier types beyond customerId, loyaltyCard, email, phone, anonymousId. */
  readonly extraTypes: readonly string[];
  /** IDENTITY_MERGE_TYPES (types that may merge profiles) and IDENTITY_LIMITS (type=max,…). */
  readonly rules: IdentityRules;
}

type Env = Readonly<Record<string, string | undefined>>;

const BUILT_IN = new Set(['customerId', 'loyaltyCard', 'email', 'phone', 'anonymousId']);
const TYPE_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;
/** IDENTITY_MERGE_TYPES=none: no identifier type merges profiles. */
const NO_MERGE_TYPES = 'none';

/** How identifiers are read at the edge; every problem named with its variable. */
export function parseIdentityConfig(env: Env, problems: string[]): IdentityConfig {
  const region = env.IDENTITY_DEFAULT_REGION?.trim().toUpperCase();
  if (region && !isSupportedCountry(region))
    problems.push(
      `IDENTITY_DEFAULT_REGION must be an ISO 3166 region such as DE or GB (got "${env.IDENTITY_DEFAULT_REGION}")`,
    );
  const extraTypes = (env.IDENTITY_EXTRA_TYPES ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  for (const type of extraTypes) {
    if (!TYPE_NAME.test(type))
      problems.push(
        `IDENTITY_EXTRA_TYPES: "${type}" must be 1–32 letters or digits starting with a lower-case letter`,
      );
    else if (BUILT_IN.has(type))
      problems.push(`IDENTITY_EXTRA_TYPES: "${type}" is built in; list only other types`);
    else if (type === NO_MERGE_TYPES)
      problems.push(`IDENTITY_EXTRA_TYPES: "none" is reserved (IDENTITY_MERGE_TYPES=none)`);
  }
  const known = new Set([...BUILT_IN, ...extraTypes]);
  return {
    ...(region && isSupportedCountry(region) ? { defaultRegion: region } : {}),
    extraTypes: [...new Set(extraTypes)],
    rules: parseRules(env, known, problems),
  };
}

function parseRules(env: Env, known: ReadonlySet<string>, problems: string[]): IdentityRules {
  const d = DEFAULT_IDENTITY_RULES;
  const rawTypes = env.IDENTITY_MERGE_TYPES?.trim();
  // `none`: identifiers only link, never merge (merges by hand still can); empty: the defaults.
  const mergeTypes =
    rawTypes?.toLowerCase() === NO_MERGE_TYPES
      ? []
      : rawTypes
        ? rawTypes
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t.length > 0)
        : d.mergeTypes;
  for (const type of mergeTypes)
    if (!known.has(type))
      problems.push(
        `IDENTITY_MERGE_TYPES: "${type}" is no identifier type (known: ${[...known].join(', ')})`,
      );
  const limits: Record<string, number> = { ...d.limits };
  for (const entry of (env.IDENTITY_LIMITS ?? '').split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const match = /^([A-Za-z0-9]+)=(\d{1,6})$/.exec(entry);
    if (!match || !known.has(match[1]) || Number(match[2]) < 1) {
      problems.push(
        `IDENTITY_LIMITS: "${entry}" must be type=max with a known type and max from 1 (e.g. email=5,phone=3)`,
      );
      continue;
    }
    limits[match[1]] = Number(match[2]);
  }
  return { mergeTypes, limits, defaultLimit: d.defaultLimit };
}
