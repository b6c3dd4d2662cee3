import { v5 as uuidv5 } from 'uuid';
import {
  countsOfGroup,
  partitionOf,
  survivorAmong,
  type IdentityGraph,
  type MergeRecord,
} from './identity-graph';
import type {
  BrokenLimit,
  ManualEvidence,
  MergeRefused,
  MergeUndone,
  ProfilesMerged,
} from './identity.events';
import { limitBrokenByMerge, type IdentityRules } from './identity-rules';

/** Fixed, apart from the rule merges' namespace: a request's ids never meet a rule's. */
const MANUAL_NAMESPACE = '5b1e0f7a-94c6-4d0e-9f43-1c2a7e8d6b31';

/** A person asking to merge profiles (customer or derived profile ids) by hand. */
export interface ManualMergeRequest {
  readonly profiles: readonly string[];
  readonly evidence: ManualEvidence;
}

export type ManualMergeDecision =
  | {
      readonly ok: true;
      readonly mergeId: string;
      /** One merge per profile group joined to the first (one event for two groups). */
      readonly events: readonly ProfilesMerged[];
      readonly survivor: string;
      readonly members: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: 'PROFILES_ALREADY_MERGED';
      readonly survivor: string;
    }
  | {
      readonly ok: false;
      readonly code: 'MERGE_WOULD_BREAK_LIMIT';
      readonly limit: BrokenLimit;
      /** Recorded, as every refusal: a limit is never broken silently, nor refused unseen. */
      readonly refusal: MergeRefused;
    };

/**
 * Joins the groups the given profiles belong to, as one request: every group or none. The
 * merge-type rules do not apply (a person decided, not an identifier), the limits do — the
 * same limits a rule merge must keep, so a manual merge cannot make a profile that ingest
 * would have refused. The profiles must be known to the caller (see the command).
 */
export function decideManualMerge(
  request: ManualMergeRequest,
  graph: IdentityGraph,
  rules: IdentityRules,
): ManualMergeDecision {
  const partition = partitionOf(graph);
  const sorted = [...new Set(request.profiles)].sort();
  const mergeId = idOf('manual', request.evidence.by, request.evidence.at, ...sorted);
  /** One given profile per distinct group, in the order given. */
  const representatives = new Map<string, string>();
  for (const profile of request.profiles) {
    const survivor = partition.survivorOf(profile);
    if (!representatives.has(survivor)) representatives.set(survivor, profile);
  }
  const survivors = [...representatives.keys()];
  if (survivors.length < 2)
    return { ok: false, code: 'PROFILES_ALREADY_MERGED', survivor: survivors[0] };

  const counts = countsOfGroup(graph, survivors[0]);
  for (const other of survivors.slice(1)) {
    const theirs = countsOfGroup(graph, other);
    const limit = limitBrokenByMerge(rules, counts, theirs);
    if (limit) {
      return {
        ok: false,
        code: 'MERGE_WOULD_BREAK_LIMIT',
        limit,
        refusal: {
          type: 'MergeRefused',
          data: {
            refusalId: idOf('manual-refusal', mergeId),
            profiles: sorted,
            rule: 'limit-per-profile',
            limit,
            evidence: request.evidence,
            manual: true,
          },
        },
      };
    }
    for (const [type, n] of theirs) counts.set(type, (counts.get(type) ?? 0) + n);
  }

  const [first, ...rest] = [...representatives.values()];
  const events: ProfilesMerged[] = rest.map((profile, i) => ({
    type: 'ProfilesMerged',
    data: {
      mergeId: rest.length === 1 ? mergeId : idOf('manual-part', mergeId, String(i)),
      profiles: [first, profile].sort() as [string, string],
      rule: 'manual',
      evidence: request.evidence,
      ...(rest.length === 1 ? {} : { partOf: mergeId }),
    },
  }));
  const members = survivors.flatMap((s) => partition.membersOf(s)).sort();
  return { ok: true, mergeId, events, survivor: survivorAmong(members), members };
}

export interface UndoRequest {
  readonly mergeId: string;
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

export type UndoDecision =
  | { readonly ok: true; readonly events: readonly MergeUndone[]; readonly undone: MergeRecord[] }
  | { readonly ok: false; readonly code: 'MERGE_NOT_FOUND' | 'MERGE_ALREADY_UNDONE' };

/**
 * Undoes a merge, rule-made or manual (a manual request of several profiles: every part). The
 * undone merge stays undone: the same identifier evidence does not merge the two again.
 */
export function decideUndo(request: UndoRequest, graph: IdentityGraph): UndoDecision {
  const parts = [...graph.merges.values()].filter(
    (m) => m.mergeId === request.mergeId || m.partOf === request.mergeId,
  );
  if (parts.length === 0) return { ok: false, code: 'MERGE_NOT_FOUND' };
  const live = parts.filter((m) => !m.undone);
  if (live.length === 0) return { ok: false, code: 'MERGE_ALREADY_UNDONE' };
  return {
    ok: true,
    undone: live,
    events: live.map((m) => ({
      type: 'MergeUndone',
      data: { mergeId: m.mergeId, by: request.by, reason: request.reason, at: request.at },
    })),
  };
}

function idOf(...parts: string[]): string {
  return uuidv5(parts.join('\u0000'), MANUAL_NAMESPACE);
}
