import type {
  IdentityEvent,
  ManualEvidence,
  MergeUndone,
  IdentifiersEvidence,
} from './identity.events';
import { isNamedProfile } from './identity.streams';

export interface IdentifierLink {
  readonly profileId: string;
  readonly identifierType: string;
}

export interface MergeRecord {
  readonly mergeId: string;
  readonly profiles: readonly [string, string];
  readonly rule: string;
  readonly evidence: IdentifiersEvidence | ManualEvidence;
  /** The manual request this merge is one part of (a merge of more than two profiles). */
  readonly partOf?: string;
  /** Set once the merge is undone (an undone merge joins nothing). */
  readonly undone?: MergeUndone['data'];
}

/**
 * The identity graph folded from its events. Owned by its fold: `evolveIdentityGraph` updates
 * it in place (a million links are not copied per event). The partition is a pure function of
 * the live merges, whatever order the events came in.
 */
export interface IdentityGraph {
  /** By identifier digest: the one profile that reserved it. */
  readonly links: Map<string, IdentifierLink>;
  /** By profile: how many identifiers of each type it reserved itself. */
  readonly countsByProfile: Map<string, Map<string, number>>;
  readonly merges: Map<string, MergeRecord>;
  /** Undos seen before their merge (events from several streams arrive in any order). */
  readonly pendingUndos: Map<string, MergeUndone['data']>;
  readonly refusals: Set<string>;
  /**
   * Cached partition: a merge joins two of its groups in place (rebuilding it from every merge
   * each time made a merge cost grow with the number of merges), an undo drops it.
   */
  partition?: Partition;
}

export function initialIdentityGraph(): IdentityGraph {
  return {
    links: new Map(),
    countsByProfile: new Map(),
    merges: new Map(),
    pendingUndos: new Map(),
    refusals: new Set(),
  };
}

export function evolveIdentityGraph(graph: IdentityGraph, event: IdentityEvent): IdentityGraph {
  switch (event.type) {
    case 'IdentifierLinked': {
      const { digest, customerId, identifierType } = event.data;
      const held = graph.links.get(digest);
      // One link per identifier stream (reserved at no_stream); should two ever meet, the
      // smaller profile id keeps it, whatever order they are folded in.
      if (held && held.profileId <= customerId) return graph;
      if (held) count(graph, held.profileId, held.identifierType, -1);
      graph.links.set(digest, { profileId: customerId, identifierType });
      count(graph, customerId, identifierType, +1);
      return graph;
    }
    case 'ProfilesMerged': {
      const { mergeId, profiles, rule, evidence, partOf } = event.data;
      if (graph.merges.has(mergeId)) return graph;
      const undone = graph.pendingUndos.get(mergeId);
      graph.pendingUndos.delete(mergeId);
      graph.merges.set(mergeId, {
        mergeId,
        profiles,
        rule,
        evidence,
        ...(partOf ? { partOf } : {}),
        ...(undone ? { undone } : {}),
      });
      if (!undone && graph.partition instanceof JoinablePartition)
        graph.partition.join(profiles[0], profiles[1]);
      else if (!undone) graph.partition = undefined;
      return graph;
    }
    case 'MergeUndone': {
      const merge = graph.merges.get(event.data.mergeId);
      if (!merge) graph.pendingUndos.set(event.data.mergeId, event.data);
      else if (!merge.undone) {
        graph.merges.set(merge.mergeId, { ...merge, undone: event.data });
        graph.partition = undefined;
      }
      return graph;
    }
    case 'MergeRefused':
      graph.refusals.add(event.data.refusalId);
      return graph;
    default:
      return graph;
  }
}

export function foldIdentityGraph(events: Iterable<IdentityEvent>): IdentityGraph {
  const graph = initialIdentityGraph();
  for (const event of events) evolveIdentityGraph(graph, event);
  return graph;
}

function count(graph: IdentityGraph, profileId: string, type: string, by: number): void {
  let counts = graph.countsByProfile.get(profileId);
  if (!counts) graph.countsByProfile.set(profileId, (counts = new Map()));
  counts.set(type, (counts.get(type) ?? 0) + by);
}

/** Profiles grouped by live merges, each group under its canonical survivor. */
export interface Partition {
  /** The survivor of a profile's group (the profile itself when it was never merged). */
  survivorOf(profileId: string): string;
  /** Every profile of the survivor's group, in id order (only the survivor if never merged). */
  membersOf(survivor: string): readonly string[];
  /** Survivor → members, for groups of two or more. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

/**
 * The canonical survivor of a group: a profile a channel system named by customerId before any
 * derived one, then the smallest id. A total order on ids, so the survivor is the same
 * whichever merge came first and whatever order the events are folded in.
 */
export function survivorAmong(profiles: Iterable<string>): string {
  let best: string | undefined;
  for (const id of profiles) if (best === undefined || ranksBefore(id, best)) best = id;
  if (best === undefined) throw new Error('a group has at least one profile');
  return best;
}

function ranksBefore(a: string, b: string): boolean {
  const named = Number(isNamedProfile(b)) - Number(isNamedProfile(a));
  return named !== 0 ? named < 0 : a < b;
}

export function partitionOf(graph: IdentityGraph): Partition {
  if (graph.partition) return graph.partition;
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    for (let at = x; at !== root;) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const merge of graph.merges.values()) {
    if (merge.undone) continue;
    const [a, b] = merge.profiles;
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const byRoot = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    const members = byRoot.get(root);
    if (members) members.push(id);
    else byRoot.set(root, [id]);
  }
  const survivor = new Map<string, string>();
  const groups = new Map<string, readonly string[]>();
  for (const members of byRoot.values()) {
    members.sort();
    const chosen = survivorAmong(members);
    for (const id of members) survivor.set(id, chosen);
    groups.set(chosen, members);
  }
  const partition = new JoinablePartition(survivor, groups);
  graph.partition = partition;
  return partition;
}

/**
 * A partition that a further live merge changes in place, as the fold from scratch would have
 * it: the two groups' members joined, under their canonical survivor. Callers that compare the
 * partition before and after an event must keep what they need of the first.
 */
class JoinablePartition implements Partition {
  constructor(
    private readonly survivors: Map<string, string>,
    readonly groups: Map<string, readonly string[]>,
  ) {}

  survivorOf(profileId: string): string {
    return this.survivors.get(profileId) ?? profileId;
  }

  membersOf(survivor: string): readonly string[] {
    return this.groups.get(survivor) ?? [survivor];
  }

  join(a: string, b: string): void {
    const [sa, sb] = [this.survivorOf(a), this.survivorOf(b)];
    if (sa === sb) {
      // A profile merged with itself: a group of one, as the fold from scratch lists it.
      if (!this.survivors.has(a)) {
        this.survivors.set(a, a);
        this.groups.set(a, [a]);
      }
      return;
    }
    const members = [...this.membersOf(sa), ...this.membersOf(sb)].sort();
    const chosen = survivorAmong(members);
    this.groups.delete(sa);
    this.groups.delete(sb);
    this.groups.set(chosen, members);
    for (const id of members) this.survivors.set(id, chosen);
  }
}

/**
 * What a group holds, for the limits: the identifiers its members reserved, and one
 * customerId per member a channel system named.
 */
export function countsOfGroup(graph: IdentityGraph, survivor: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const member of partitionOf(graph).membersOf(survivor)) {
    if (isNamedProfile(member)) counts.set('customerId', (counts.get('customerId') ?? 0) + 1);
    for (const [type, n] of graph.countsByProfile.get(member) ?? [])
      counts.set(type, (counts.get(type) ?? 0) + n);
  }
  return counts;
}

/** The merges that joined a group, oldest first as folded, undone ones included. */
export function mergeHistoryOf(graph: IdentityGraph, profiles: readonly string[]): MergeRecord[] {
  const wanted = new Set(profiles);
  return [...graph.merges.values()].filter(
    (m) => wanted.has(m.profiles[0]) || wanted.has(m.profiles[1]),
  );
}
