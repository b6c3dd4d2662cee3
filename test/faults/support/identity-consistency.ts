import { customerIdFromStream, upcastCustomerEvent, type CustomerEvent } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import {
  evolveIdentityGraph,
  IDENTITY_GRAPH_STREAM,
  identifierStreamName,
  initialIdentityGraph,
  partitionOf,
  profileIndexStreamName,
  type IdentityEvent,
  type IdentityGraph,
  type Partition,
} from '@rapport/identity';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import { RedisReadStore } from '@rapport/read-store';
import { projectorLateness, readStoredViews } from './consistency';

/** A manual merge or undo as the test asked for it: its reason is unique, so it finds its events. */
export interface ManualRequest {
  readonly reason: string;
  /** The profiles of a merge; absent for an undo. */
  readonly profiles?: readonly string[];
  /** Set once the platform answered 200: the merge id it named (or undid). */
  answeredMergeId?: string;
}

/** Touchpoint events only (customer streams): what the exactly-once check counts. */
export function touchpointEvents(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter(
    (e) => customerIdFromStream(e.streamName) !== undefined && e.data.touchpointId !== undefined,
  );
}

function graphEvents(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter((e) => e.streamName === IDENTITY_GRAPH_STREAM);
}

function asIdentityEvent(recorded: RecordedEvent): IdentityEvent {
  return { type: recorded.type, data: recorded.data } as IdentityEvent;
}

export function identityGraphOf(events: readonly RecordedEvent[]): IdentityGraph {
  const graph = initialIdentityGraph();
  for (const e of graphEvents(events)) evolveIdentityGraph(graph, asIdentityEvent(e));
  for (const e of events)
    if (e.type === 'IdentifierLinked') evolveIdentityGraph(graph, asIdentityEvent(e));
  return graph;
}

/**
 * The graph as a crash may not leave it: an identifier stream linked twice or to nothing, a
 * merge, undo or refusal recorded twice, an undo of no merge, a manual merge recorded in part
 * (its events not one append, or not joining every profile asked), a manual undo recorded
 * apart or twice, or an answered request missing.
 */
export function identityGraphProblems(
  events: readonly RecordedEvent[],
  merges: readonly ManualRequest[],
  undos: readonly ManualRequest[],
): string[] {
  const problems: string[] = [];
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    if (!e.streamName.startsWith(identifierStreamName(''))) continue;
    if (e.type !== 'IdentifierLinked') continue;
    const list = byStream.get(e.streamName) ?? [];
    list.push(e);
    byStream.set(e.streamName, list);
  }
  for (const [stream, links] of byStream) {
    const digest = String(links[0].data.digest);
    if (stream !== identifierStreamName(digest))
      problems.push(`${stream}: holds the link of ${digest}`);
    if (links.length !== 1) problems.push(`${stream}: linked ${links.length} times`);
  }
  for (const e of events)
    if (
      e.streamName.startsWith(identifierStreamName('')) &&
      !e.streamName.startsWith(profileIndexStreamName('')) &&
      e.type !== 'IdentifierLinked'
    )
      problems.push(`${e.streamName}: holds a ${e.type}`);

  const graph = graphEvents(events);
  const seen = (label: string, ids: string[]) => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, n] of counts) if (n > 1) problems.push(`${label} ${id} recorded ${n} times`);
    return counts;
  };
  const mergeIds = seen(
    'merge',
    graph.filter((e) => e.type === 'ProfilesMerged').map((e) => String(e.data.mergeId)),
  );
  const requestIds = new Set(
    graph
      .filter((e) => e.type === 'ProfilesMerged')
      .map((e) => String(e.data.partOf ?? e.data.mergeId)),
  );
  const undone = seen(
    'undo of',
    graph.filter((e) => e.type === 'MergeUndone').map((e) => String(e.data.mergeId)),
  );
  for (const mergeId of undone.keys())
    if (!mergeIds.has(mergeId) && !requestIds.has(mergeId))
      problems.push(`undo of ${mergeId}: no such merge`);
  seen(
    'refusal',
    graph.filter((e) => e.type === 'MergeRefused').map((e) => String(e.data.refusalId)),
  );

  problems.push(...manualMergeProblems(graph, merges));
  for (const undo of undos) {
    // An undo of a manual merge of several profiles undoes each part: one append of them all.
    const at = graph.flatMap((e, i) =>
      e.type === 'MergeUndone' && e.data.reason === undo.reason ? [i] : [],
    );
    if (at.length && at[at.length - 1] - at[0] !== at.length - 1)
      problems.push(`${undo.reason}: recorded in ${at.length} events that are not one append`);
    if (undo.answeredMergeId && at.length === 0)
      problems.push(`${undo.reason}: answered 200, not recorded`);
  }
  return problems;
}

/** Each manual merge: nothing, or one append whose events join every profile asked for. */
function manualMergeProblems(graph: RecordedEvent[], merges: readonly ManualRequest[]): string[] {
  const problems: string[] = [];
  const reasonOf = (e: RecordedEvent) =>
    e.type === 'ProfilesMerged' ? (e.data.evidence as { reason?: string }).reason : undefined;
  const requests = new Map(merges.map((m) => [m.reason, m]));
  const folded = initialIdentityGraph();
  for (let i = 0; i < graph.length; i++) {
    evolveIdentityGraph(folded, asIdentityEvent(graph[i]));
    const reason = reasonOf(graph[i]);
    const request = reason === undefined ? undefined : requests.get(reason);
    if (!request) continue;
    if (i + 1 < graph.length && reasonOf(graph[i + 1]) === reason) continue;
    // The last event of this request's append: every profile asked for is now one group.
    const partition: Partition = partitionOf(folded);
    const survivors = new Set(request.profiles!.map((p) => partition.survivorOf(p)));
    if (survivors.size !== 1)
      problems.push(`${reason}: recorded in part (${survivors.size} groups after its events)`);
    requests.delete(reason!);
  }
  for (const request of merges) {
    const recorded = graph.filter((e) => reasonOf(e) === request.reason);
    const appends = new Set(recorded.map((e) => String(e.data.partOf ?? e.data.mergeId)));
    if (appends.size > 1) problems.push(`${request.reason}: recorded as ${appends.size} merges`);
    if (request.answeredMergeId && !appends.has(request.answeredMergeId))
      problems.push(`${request.reason}: answered ${request.answeredMergeId}, not recorded`);
  }
  return problems;
}

/**
 * The customer view the projector must hold, from scratch: every customer event grouped by
 * the profile its stream belongs to now, folded in position order; absorbed profiles have none.
 */
export function rebuildProfileViews(events: readonly RecordedEvent[]): Map<string, unknown> {
  const partition = partitionOf(identityGraphOf(events));
  const byProfile = new Map<string, CustomerEvent[]>();
  for (const recorded of events) {
    const customerId = customerIdFromStream(recorded.streamName);
    const event = customerId === undefined ? undefined : upcastCustomerEvent(recorded);
    if (!event) continue;
    const profile = partition.survivorOf(customerId!);
    const list = byProfile.get(profile) ?? [];
    list.push(event);
    byProfile.set(profile, list);
  }
  const views = new Map<string, unknown>();
  for (const [profile, list] of byProfile) {
    if (!list.some((e) => customerViewProjection.canHandle(e))) continue;
    const value = foldProjection(customerViewProjection, profile, list);
    // The read store keeps JSON: compare like with like.
    views.set(profile, JSON.parse(JSON.stringify(value)));
  }
  return views;
}

/** Waits until the projector's checkpoint reaches the last event, then compares every view. */
export async function profileViewsMatchRebuild(
  redisUrl: string,
  events: readonly RecordedEvent[],
  timeoutMs = 60_000,
): Promise<{ profiles: number; problems: string[] }> {
  const store = new RedisReadStore({ url: redisUrl });
  try {
    const late = await projectorLateness(store, events, timeoutMs);
    if (late) return { profiles: 0, problems: [late] };
    const rebuilt = rebuildProfileViews(events);
    const stored = await readStoredViews(store);
    const problems: string[] = [];
    for (const [key, value] of rebuilt) {
      const actual = stored.get(key);
      if (!actual) problems.push(`${key}: missing from the read store`);
      else if (JSON.stringify(actual.value) !== JSON.stringify(value))
        problems.push(`${key}: differs from the rebuild`);
    }
    for (const key of stored.keys())
      if (!rebuilt.has(key)) problems.push(`${key}: no such profile`);
    return { profiles: rebuilt.size, problems };
  } finally {
    await store.close();
  }
}
