import type { AppendRequest } from '@rapport/event-store';

/** What one resolution handed to its caller to append: its own links and the copies before them. */
export interface TentativeGroup {
  readonly requests: readonly AppendRequest[];
  readonly digests: readonly string[];
}

/**
 * Links this instance has decided and folded into its cached graph, whose append (with the
 * touchpoints that named them) is still in flight. A later resolution may rely on them before
 * they are stored: it then sends the whole group again, first, as prerequisites of its own
 * appends. Stored meanwhile, the copies are idempotent repeats (same ids, same streams); refused
 * (another instance linked an identifier first), they refuse the later appends too, which are
 * then decided again. So nothing is appended on a link that never made it to the store.
 */
export class TentativeLinks {
  private readonly byDigest = new Map<string, TentativeGroup>();

  get size(): number {
    return this.byDigest.size;
  }

  /** The requests a resolution hands out: the groups it relied on, then its own links. */
  hold(requests: readonly AppendRequest[], digests: readonly string[]): TentativeGroup {
    const group: TentativeGroup = { requests, digests };
    for (const digest of digests) this.byDigest.set(digest, group);
    return group;
  }

  /**
   * The in-flight groups a decision about these identifiers relied on, each request once. All
   * of them when `everything`: a merge or a refusal counts a profile's links, not only the
   * identifiers asked about.
   */
  copiesFor(digests: Iterable<string>, everything: boolean): AppendRequest[] {
    if (this.byDigest.size === 0) return [];
    const groups = new Set<TentativeGroup>();
    if (everything) for (const group of this.byDigest.values()) groups.add(group);
    else
      for (const digest of digests) {
        const group = this.byDigest.get(digest);
        if (group) groups.add(group);
      }
    const seen = new Set<AppendRequest>();
    for (const group of groups) for (const request of group.requests) seen.add(request);
    return [...seen];
  }

  /** The group's append was accepted: its links are in the store now. */
  release(group: TentativeGroup): void {
    for (const digest of group.digests)
      if (this.byDigest.get(digest) === group) this.byDigest.delete(digest);
  }

  clear(): void {
    this.byDigest.clear();
  }
}
