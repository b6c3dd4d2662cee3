/** The graph's merges, undos and refusals: one stream, appended with expected revision. */
export const IDENTITY_GRAPH_STREAM = 'identity-graph';

const IDENTIFIER_PREFIX = 'identifier-';

/** One stream per identifier, named by its keyed digest (the value never names a stream). */
export function identifierStreamName(digest: string): string {
  return `${IDENTIFIER_PREFIX}${digest}`;
}

/**
 * A profile's index of its links. Under the identifier prefix, so every reader that skips
 * identity streams skips it too; never a digest's stream (digests are hex, this has letters).
 */
export function profileIndexStreamName(profileId: string): string {
  return `${IDENTIFIER_PREFIX}index-${profileId}`;
}

export function isIdentityStream(streamName: string): boolean {
  return streamName === IDENTITY_GRAPH_STREAM || streamName.startsWith(IDENTIFIER_PREFIX);
}

/**
 * A profile made for a touchpoint no known identifier names: its id comes from the strongest
 * identifier's digest, so every instance deciding about it names the same profile.
 */
export const DERIVED_PROFILE_PREFIX = 'profile.';

export function derivedProfileId(digest: string): string {
  return `${DERIVED_PROFILE_PREFIX}${digest.slice(0, 32)}`;
}

/** A profile named by a channel system's customerId, not derived from an identifier. */
export function isNamedProfile(profileId: string): boolean {
  return !profileId.startsWith(DERIVED_PROFILE_PREFIX);
}
