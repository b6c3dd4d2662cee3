/**
 * The identity graph as events. Links live in one small stream per identifier (named by a
 * keyed digest of type and value, never the value), so that reserving an identifier is one
 * append with expected revision `no_stream`; merges, undos and refusals live in the graph
 * stream, appended with the revision the decision was made on. Merges move no touchpoint:
 * every event stays on the stream it landed on, and the views follow the partition.
 */
export const IDENTITY_EVENT_SCHEMA_VERSION = 1;

/** The touchpoint whose identifiers proved a link or a merge. */
export interface TouchpointEvidence {
  readonly source: string;
  readonly touchpointId: string;
  /** Event time of the touchpoint: graph decisions are dated in event time, not wall clock. */
  readonly occurredAt: string;
}

/**
 * A Segment `identify` call whose identifiers proved a link or a merge: it records no
 * touchpoint, so the evidence names the call (its messageId) instead.
 */
export interface IdentifyCallEvidence {
  readonly source: string;
  readonly call: 'identify';
  readonly messageId: string;
  /** Event time of the call. */
  readonly occurredAt: string;
}

/** What identifiers arrived with: a touchpoint, or an identify call that records none. */
export type IdentifiersEvidence = TouchpointEvidence | IdentifyCallEvidence;

/** A person deciding by hand (admin API), with the reason they gave. */
export interface ManualEvidence {
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

export interface IdentifierLinked {
  readonly type: 'IdentifierLinked';
  readonly data: {
    /** The profile (customer stream id) the identifier belongs to; the encryption key's owner. */
    readonly customerId: string;
    readonly identifierType: string;
    /** Keyed digest of type and normalised value: what the graph compares. */
    readonly digest: string;
    /** The normalised value: a personal field, sealed with the profile's key. */
    readonly value: string;
    readonly evidence: IdentifiersEvidence;
  };
}

export interface ProfilesMerged {
  readonly type: 'ProfilesMerged';
  readonly data: {
    /** Deterministic (from the evidence), so a retried decision is recognised. */
    readonly mergeId: string;
    /** Two profiles joined; every member of each one's component joins with them. */
    readonly profiles: readonly [string, string];
    /** `identifier:<type>` (a touchpoint carried identifiers of both) or `manual`. */
    readonly rule: string;
    readonly evidence: IdentifiersEvidence | ManualEvidence;
    /** For a rule merge: the identifier known to the other profile (type and digest). */
    readonly identifier?: { readonly type: string; readonly digest: string };
    /**
     * A manual merge of more than two profiles is recorded as one merge per joined profile;
     * each carries the request's merge id here, and undoing that id undoes them all.
     */
    readonly partOf?: string;
  };
}

export interface MergeUndone {
  readonly type: 'MergeUndone';
  readonly data: {
    readonly mergeId: string;
    readonly by: string;
    readonly reason: string;
    readonly at: string;
  };
}

/** Which limit a refused merge or link would have broken. */
export interface BrokenLimit {
  readonly identifierType: string;
  readonly max: number;
  /** How many the profile would have held. */
  readonly would: number;
}

export interface MergeRefused {
  readonly type: 'MergeRefused';
  readonly data: {
    /** Deterministic, as mergeId: the same refusal is recorded once. */
    readonly refusalId: string;
    /** The profiles that were not merged (one, for a refused link of a new identifier). */
    readonly profiles: readonly string[];
    /** `type-may-not-merge` or `limit-per-profile`. */
    readonly rule: 'type-may-not-merge' | 'limit-per-profile';
    readonly limit?: BrokenLimit;
    /** The identifier that would have merged them; absent for a manual merge (`manual: true`). */
    readonly identifier?: { readonly type: string; readonly digest: string };
    readonly evidence: IdentifiersEvidence | ManualEvidence;
    /** Set when a person asked for the merge (admin API), not a touchpoint's identifiers. */
    readonly manual?: true;
  };
}

export type IdentityEvent = IdentifierLinked | ProfilesMerged | MergeUndone | MergeRefused;

export const IDENTITY_EVENT_TYPES: ReadonlySet<string> = new Set([
  'IdentifierLinked',
  'ProfilesMerged',
  'MergeUndone',
  'MergeRefused',
]);

export function isIdentityEvent(event: { readonly type: string }): event is IdentityEvent {
  return IDENTITY_EVENT_TYPES.has(event.type);
}

/**
 * The profile-side index of its links: one stream per profile (`profileIndexStreamName`) listing
 * the digests linked to it, so that a profile's identifiers can be found (lookups, limits of a
 * manual merge). Written beside each link; the identifier's own stream stays the truth — an
 * entry whose link lost a race names a digest another profile owns, and readers check it.
 * Kept out of IdentityEvent: it changes nothing in the graph.
 */
export interface IdentifierIndexed {
  readonly type: 'IdentifierIndexed';
  readonly data: {
    readonly customerId: string;
    readonly identifierType: string;
    readonly digest: string;
  };
}
