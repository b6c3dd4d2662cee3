import type { DigestedIdentifier, IdentityQuestion } from '../decide-identity';
import type { IdentifierLinked, ProfilesMerged, MergeUndone } from '../identity.events';

/** A stand-in digest for tests: readable, unique per type and value. */
export function digested(type: string, value: string): DigestedIdentifier {
  return { type, value, digest: `${type}~${value}` };
}

export function question(
  touchpointId: string,
  identifiers: DigestedIdentifier[],
  customerId?: string,
): IdentityQuestion {
  return {
    ...(customerId ? { customerId } : {}),
    identifiers,
    evidence: { source: 'web', touchpointId, occurredAt: '2026-11-01T10:00:00.000Z' },
  };
}

export function linked(profileId: string, type: string, value: string): IdentifierLinked {
  const { digest } = digested(type, value);
  return {
    type: 'IdentifierLinked',
    data: {
      customerId: profileId,
      identifierType: type,
      digest,
      value,
      evidence: {
        source: 'web',
        touchpointId: `t-${value}`,
        occurredAt: '2026-11-01T10:00:00.000Z',
      },
    },
  };
}

export function merged(mergeId: string, a: string, b: string): ProfilesMerged {
  return {
    type: 'ProfilesMerged',
    data: {
      mergeId,
      profiles: [a, b].sort() as [string, string],
      rule: 'manual',
      evidence: { by: 'admin', reason: 'test', at: '2026-11-02T00:00:00.000Z' },
    },
  };
}

export function undone(mergeId: string): MergeUndone {
  return {
    type: 'MergeUndone',
    data: { mergeId, by: 'admin', reason: 'wrong merge', at: '2026-11-03T00:00:00.000Z' },
  };
}
