import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Identifier } from '@rapport/domain';
import { customerStreamName } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@rapport/event-store';
import {
  IDENTITY_GRAPH_STREAM,
  evolveIdentityGraph,
  identifierStreamName,
  initialIdentityGraph,
  isIdentityEvent,
  partitionOf,
  profileIndexStreamName,
  type IdentifierLinked,
  type IdentityEvent,
  type IdentityGraph,
} from '@rapport/identity';
import { IDENTIFIER_DIGEST_KEY, IdentifierDigester } from './identifier-digester';

/** The graph stream folded, and the revision it was folded to (-1: the stream is empty). */
export interface GraphAt {
  readonly graph: IdentityGraph;
  readonly revision: bigint;
  /** Every event of the graph stream, in order (merge history with its positions). */
  readonly events: readonly RecordedEvent[];
}

/** The profile an identifier names, its group (survivor and members) and the graph read. */
export interface ProfileGroup extends GraphAt {
  readonly profileId: string;
  readonly survivor: string;
  readonly members: readonly string[];
}

/** An identifier linked to a profile, as stored (its value unsealed by the store, if keyed). */
export interface StoredLink {
  readonly data: IdentifierLinked['data'];
  readonly position: bigint;
  /** When the link was committed (the evidence carries the touchpoint's event time). */
  readonly recordedAt: Date;
}

/**
 * Reads the identity graph straight from the event store, complete for the profiles asked
 * about (not the write path's cache): the graph stream, each profile's index of its links, and
 * each indexed identifier's own stream — the truth an index entry is checked against.
 */
@Injectable()
export class IdentityGraphReader {
  private readonly digester: IdentifierDigester;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(IDENTIFIER_DIGEST_KEY) key?: Buffer,
  ) {
    this.digester = new IdentifierDigester(key);
  }

  digestOf(identifier: Identifier): string {
    return this.digester.digest(identifier);
  }

  async graphAt(): Promise<GraphAt> {
    const events = await this.store.readStream(IDENTITY_GRAPH_STREAM);
    const graph = initialIdentityGraph();
    for (const event of events) {
      const identity = asIdentityEvent(event);
      if (identity) evolveIdentityGraph(graph, identity);
    }
    return {
      graph,
      revision: events.length ? events[events.length - 1].revision : -1n,
      events,
    };
  }

  /** The link of one identifier (its stream's first event), if any profile holds it. */
  async linkOf(digest: string): Promise<StoredLink | undefined> {
    const [first] = await this.store.readStream(identifierStreamName(digest), { maxCount: 1 });
    if (!first || first.type !== 'IdentifierLinked') return undefined;
    return {
      data: first.data as unknown as IdentifierLinked['data'],
      position: first.position,
      recordedAt: first.recordedAt,
    };
  }

  /**
   * Folds every identifier the profiles hold into the graph (so limits count them all) and
   * answers their links. An index entry whose identifier another profile holds is skipped.
   */
  async loadProfiles(graph: IdentityGraph, profileIds: Iterable<string>): Promise<StoredLink[]> {
    const wanted = [...new Set(profileIds)];
    const indexes = await Promise.all(
      wanted.map((id) => this.store.readStream(profileIndexStreamName(id))),
    );
    const digests = new Map<string, string>();
    indexes.forEach((entries, i) => {
      for (const entry of entries) digests.set(String(entry.data.digest), wanted[i]);
    });
    const links = await Promise.all([...digests.keys()].map((d) => this.linkOf(d)));
    const held: StoredLink[] = [];
    for (const link of links) {
      if (!link || digests.get(link.data.digest) !== link.data.customerId) continue;
      evolveIdentityGraph(graph, { type: 'IdentifierLinked', data: link.data });
      held.push(link);
    }
    return held;
  }

  /**
   * The group an identifier's profile belongs to, with the graph it was read from; undefined
   * when no profile holds it. The identifier's own stream names its profile; a customerId needs
   * none — touchpoints naming only a customerId (all of them before identifiers existed) link
   * nothing, and the customer is the profile of that id once anything landed on it.
   */
  async groupOf(identifier: Identifier): Promise<ProfileGroup | undefined> {
    const link = await this.linkOf(this.digestOf(identifier));
    const profileId =
      link?.data.customerId ??
      (identifier.type === 'customerId' && (await this.exists(identifier.value))
        ? identifier.value
        : undefined);
    if (profileId === undefined) return undefined;
    const at = await this.graphAt();
    const partition = partitionOf(at.graph);
    const survivor = partition.survivorOf(profileId);
    return { ...at, profileId, survivor, members: partition.membersOf(survivor) };
  }

  /** Whether a profile exists: touchpoints landed on it, or identifiers were linked to it. */
  async exists(profileId: string): Promise<boolean> {
    const [stream, index] = await Promise.all([
      this.store.readStream(customerStreamName(profileId), { maxCount: 1 }),
      this.store.readStream(profileIndexStreamName(profileId), { maxCount: 1 }),
    ]);
    return stream.length > 0 || index.length > 0;
  }
}

function asIdentityEvent(recorded: RecordedEvent): IdentityEvent | undefined {
  if (!isIdentityEvent(recorded)) return undefined;
  return { type: recorded.type, data: recorded.data } as unknown as IdentityEvent;
}
