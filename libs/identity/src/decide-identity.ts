import { v5 as uuidv5 } from 'uuid';
import { countsOfGroup, partitionOf, type IdentityGraph } from './identity-graph';
import type {
  IdentifierLinked,
  IdentityEvent,
  MergeRefused,
  ProfilesMerged,
  IdentifiersEvidence,
} from './identity.events';
import { derivedProfileId } from './identity.streams';
import {
  limitBrokenByLink,
  limitBrokenByMerge,
  mayMerge,
  type IdentityRules,
} from './identity-rules';

/** Fixed: changing it would give a retried decision a new merge id. */
const IDENTITY_NAMESPACE = '2d0b7c55-0f0e-4c8e-8a55-8f6a1c3d2e90';

/** An identifier of a touchpoint with its keyed digest (computed where the key is). */
export interface DigestedIdentifier {
  readonly type: string;
  readonly value: string;
  readonly digest: string;
}

export interface IdentityQuestion {
  /** The customerId the touchpoint named, if any. */
  readonly customerId?: string;
  readonly identifiers: readonly DigestedIdentifier[];
  readonly evidence: IdentifiersEvidence;
}

/** One step of resolution: where the touchpoint lands, and what the graph must record first. */
export interface IdentityStep {
  /** The customer stream the touchpoint is appended to. */
  readonly profileId: string;
  /** Links (each to its identifier's stream) and at most one merge or refusals (graph stream). */
  readonly links: readonly IdentifierLinked[];
  readonly graphEvents: readonly (ProfilesMerged | MergeRefused)[];
}

/** Strongest first: what names a person most surely picks the profile a touchpoint lands on. */
const STRENGTH = ['customerId', 'loyaltyCard', 'email', 'phone', 'anonymousId'];

export function strengthOf(identifierType: string): number {
  const at = STRENGTH.indexOf(identifierType);
  return at === -1 ? STRENGTH.length : at;
}

export function byStrength(identifiers: readonly DigestedIdentifier[]): DigestedIdentifier[] {
  return [...identifiers].sort(
    (a, b) => strengthOf(a.type) - strengthOf(b.type) || (a.digest < b.digest ? -1 : 1),
  );
}

/**
 * Decides the next step of resolving a touchpoint against the graph as known. The caller
 * appends what it returns (links at `no_stream`, graph events at the revision decided on),
 * folds them in, and asks again until a step records nothing; then it appends the touchpoint
 * to `profileId`. Every step is idempotent — links are reserved once, merge and refusal ids
 * come from the evidence — so a crash between two appends is completed by the next decision.
 *
 * The touchpoint lands on its customerId, else on the profile owning its strongest known
 * identifier, else on a profile derived from its strongest identifier. Merges move nothing:
 * the profile owning an identifier never changes, so a redelivered touchpoint lands where it
 * landed before (and is recognised as a duplicate there).
 */
export function decideIdentityStep(
  question: IdentityQuestion,
  graph: IdentityGraph,
  rules: IdentityRules,
): IdentityStep {
  const ordered = byStrength(question.identifiers);
  const known = ordered.filter((i) => graph.links.has(i.digest));
  const profileId =
    question.customerId ??
    (known.length ? graph.links.get(known[0].digest)!.profileId : undefined) ??
    derivedProfileId(ordered[0].digest);

  const partition = partitionOf(graph);
  const survivor = partition.survivorOf(profileId);
  const graphEvents: (ProfilesMerged | MergeRefused)[] = [];

  for (const identifier of known) {
    const owner = graph.links.get(identifier.digest)!.profileId;
    const other = partition.survivorOf(owner);
    if (other === survivor) continue;
    const profiles = [profileId, owner].sort() as [string, string];
    const reference = { type: identifier.type, digest: identifier.digest };
    const broken = mayMerge(rules, identifier.type)
      ? limitBrokenByMerge(rules, countsOfGroup(graph, survivor), countsOfGroup(graph, other))
      : undefined;
    if (!mayMerge(rules, identifier.type) || broken) {
      const rule = broken ? 'limit-per-profile' : 'type-may-not-merge';
      const refusalId = idOf('refusal', rule, identifier.digest, ...profiles);
      if (graph.refusals.has(refusalId)) continue;
      graphEvents.push({
        type: 'MergeRefused',
        data: {
          refusalId,
          profiles,
          rule,
          ...(broken ? { limit: broken } : {}),
          identifier: reference,
          evidence: question.evidence,
        },
      });
      continue;
    }
    const mergeId = idOf('merge', identifier.digest, ...profiles);
    // A merge undone stays undone: the same evidence does not merge the two again.
    if (graph.merges.has(mergeId)) continue;
    graphEvents.push({
      type: 'ProfilesMerged',
      data: {
        mergeId,
        profiles,
        rule: `identifier:${identifier.type}`,
        evidence: question.evidence,
        identifier: reference,
      },
    });
    // One merge per step: the next step decides against the graph the merge made.
    return { profileId, links: [], graphEvents };
  }

  const links: IdentifierLinked[] = [];
  const counts = countsOfGroup(graph, survivor);
  for (const identifier of ordered) {
    if (graph.links.has(identifier.digest)) continue;
    const broken = limitBrokenByLink(rules, counts, identifier.type);
    if (broken) {
      const refusalId = idOf('refusal', 'limit-per-profile', identifier.digest, profileId);
      if (graph.refusals.has(refusalId)) continue;
      graphEvents.push({
        type: 'MergeRefused',
        data: {
          refusalId,
          profiles: [profileId],
          rule: 'limit-per-profile',
          limit: broken,
          identifier: { type: identifier.type, digest: identifier.digest },
          evidence: question.evidence,
        },
      });
      continue;
    }
    counts.set(identifier.type, (counts.get(identifier.type) ?? 0) + 1);
    links.push({
      type: 'IdentifierLinked',
      data: {
        customerId: profileId,
        identifierType: identifier.type,
        digest: identifier.digest,
        value: identifier.value,
        evidence: question.evidence,
      },
    });
  }
  return { profileId, links, graphEvents };
}

/** A merge by hand (admin): the same request gives the same id. */
export function manualMergeId(profiles: readonly [string, string], reason: string, at: string) {
  return idOf('manual', reason, at, ...[...profiles].sort());
}

function idOf(...parts: string[]): string {
  return uuidv5(parts.join('\u0000'), IDENTITY_NAMESPACE);
}

export function isSettled(step: IdentityStep): boolean {
  return step.links.length === 0 && step.graphEvents.length === 0;
}

export type { IdentityEvent };
