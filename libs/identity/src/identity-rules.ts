import type { BrokenLimit } from './identity.events';

/** Configured (IDENTITY_MERGE_TYPES, IDENTITY_LIMITS) and validated at start. */
export interface IdentityRules {
  /** Identifier types whose being known to another profile may merge the two. */
  readonly mergeTypes: readonly string[];
  /** Most identifiers of a type one profile (all its merged members) may hold. */
  readonly limits: Readonly<Record<string, number>>;
  /** For types without a limit of their own (configured extra types). */
  readonly defaultLimit: number;
}

/**
 * One customerId per profile (two named customers are two people until someone says
 * otherwise), a few emails, phones and cards, many anonymous ids (one per browser or device).
 */
export const DEFAULT_IDENTITY_RULES: IdentityRules = {
  mergeTypes: ['customerId', 'loyaltyCard', 'email', 'phone', 'anonymousId'],
  limits: { customerId: 1, loyaltyCard: 3, email: 5, phone: 5, anonymousId: 100 },
  defaultLimit: 5,
};

/** How many identifiers of each type a profile holds (customerIds: its named members). */
export type IdentifierCounts = ReadonlyMap<string, number>;

export function limitOf(rules: IdentityRules, identifierType: string): number {
  return rules.limits[identifierType] ?? rules.defaultLimit;
}

/** The first limit two profiles' identifiers together would break, in type order; none: ok. */
export function limitBrokenByMerge(
  rules: IdentityRules,
  a: IdentifierCounts,
  b: IdentifierCounts,
): BrokenLimit | undefined {
  const types = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const identifierType of types) {
    const would = (a.get(identifierType) ?? 0) + (b.get(identifierType) ?? 0);
    const max = limitOf(rules, identifierType);
    if (would > max) return { identifierType, max, would };
  }
  return undefined;
}

/** The limit one more identifier of this type would break; none: ok. */
export function limitBrokenByLink(
  rules: IdentityRules,
  counts: IdentifierCounts,
  identifierType: string,
): BrokenLimit | undefined {
  const would = (counts.get(identifierType) ?? 0) + 1;
  const max = limitOf(rules, identifierType);
  return would > max ? { identifierType, max, would } : undefined;
}

export function mayMerge(rules: IdentityRules, identifierType: string): boolean {
  return rules.mergeTypes.includes(identifierType);
}
