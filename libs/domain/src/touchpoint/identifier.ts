/**
 * Who a touchpoint is about, as a channel system knows them: the web shop an anonymous visitor
 * id, the email platform an address, the call centre a phone number, the store a loyalty card.
 * Values are normalised at the edge (libs/contract) before anything compares them.
 */
export const BUILT_IN_IDENTIFIER_TYPES = [
  'customerId',
  'loyaltyCard',
  'email',
  'phone',
  'anonymousId',
] as const;
export type BuiltInIdentifierType = (typeof BUILT_IN_IDENTIFIER_TYPES)[number];

export interface Identifier {
  /** A built-in type or one configured (IDENTITY_EXTRA_TYPES). */
  readonly type: string;
  /** Normalised: emails lower-case, phones E.164, others trimmed. */
  readonly value: string;
}

/** `type:value`, the form used in query filters and Kafka keys. */
export function identifierKey(identifier: Identifier): string {
  return `${identifier.type}:${identifier.value}`;
}
