import { isSupportedCountry } from 'libphonenumber-js';

export interface IdentityConfig {
  /** IDENTITY_DEFAULT_REGION: ISO 3166 region of phone numbers written without a country code. */
  readonly defaultRegion?: string;
  /** IDENTITY_EXTRA_TYPES: identifier types beyond customerId, loyaltyCard, email, phone, anonymousId. */
  readonly extraTypes: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

const BUILT_IN = new Set(['customerId', 'loyaltyCard', 'email', 'phone', 'anonymousId']);
const TYPE_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;

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
  }
  return {
    ...(region && isSupportedCountry(region) ? { defaultRegion: region } : {}),
    extraTypes: [...new Set(extraTypes)],
  };
}
