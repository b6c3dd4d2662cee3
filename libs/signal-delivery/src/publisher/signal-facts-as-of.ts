import { customerIdFromStream } from '@rapport/domain';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM } from '@rapport/identity';
import {
  evolveOrPark,
  ProfilePartition,
  readGroupHistories,
  refoldGroups,
  routeBatch,
} from '@rapport/projector';
import type { Projection } from '@rapport/projections';
import type { ReadStore, StoredRecord } from '@rapport/read-store';
import { signalFactsProjection, type SignalFacts } from '@rapport/signals';

const FACTS = signalFactsProjection as Projection<unknown>;

/**
 * A profile's facts record as of a position: `null` when it has no facts then (no event the
 * facts handle, or absorbed into another profile).
 */
type FactsRecord = StoredRecord<unknown> | null;

/**
 * The default bound of facts held: at an estimated 250 bytes a fact (ids, times, amounts; not
 * measured) some 60 MB, whatever the number of customers. A profile holds at most
 * 3 × RETAINED_FACTS facts, and counts one more for itself.
 */
export const DEFAULT_MAX_CACHED_FACTS = 250_000;

/**
 * The signal facts of profiles exactly as of the position derivation has read up to, whatever
 * the projector's lag. The projector's view may be ahead of that position (always in a rebuild
 * of the ledger, sometimes live): a later event of the profile, or a later merge or undo, would
 * change what a step derives, and so make the ledger depend on timing.
 *
 * Kept as of the cursor and moved with each step's events through the projector's own routing,
 * evolve and regroup refold, so it holds what the projector held at that position. A profile
 * not held is read from the view when its record is not past the step's end (records carry
 * the position of the last event applied: such a record is the profile as of the step's end),
 * else folded from its member streams up to the cursor and moved with the step's events.
 *
 * Bounded: least recently used profiles are dropped once the facts held pass `maxFacts`
 * (checked after each step, so within a step it may hold one step's profiles more).
 */
export class SignalFactsAsOf {
  private readonly held = new Map<string, FactsRecord>();
  private heldFacts = 0;
  /** The position everything held is as of; undefined while a step moves it (or failed to). */
  private at: bigint | undefined = -1n;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly factsCollection: () => Promise<string>,
    private readonly maxFacts = DEFAULT_MAX_CACHED_FACTS,
  ) {}

  /**
   * Moves the facts from `from` over a step's events (`partition` as of `from`; followed through
   * them, as the projector follows it) and returns the facts, as of the step's last event, of
   * every profile the step touched: with events (of any type) or regrouped.
   */
  async advance(
    events: readonly RecordedEvent[],
    partition: ProfilePartition,
    from: bigint,
  ): Promise<Map<string, SignalFacts>> {
    if (this.at !== from) this.clear();
    this.at = undefined;
    const to = events[events.length - 1].position;
    // Who each step customer's profile was as of `from`, taken before routing follows the
    // step's merges and undos: what a profile not held is folded from.
    const membersAsOfFrom = new Map<string, readonly string[]>();
    for (const event of events) {
      const customerId = customerIdFromStream(event.streamName);
      if (customerId === undefined) continue;
      const survivor = partition.survivorOf(customerId);
      if (!membersAsOfFrom.has(survivor))
        membersAsOfFrom.set(survivor, partition.membersOf(survivor));
    }
    const steps = routeBatch(events, partition);
    const touched = new Set<string>();
    for (const step of steps)
      if (step.kind === 'regroup') for (const g of step.regroup.groups) touched.add(g.survivor);
      else for (const profile of step.byProfile.keys()) touched.add(profile);
    const stored = await this.readStore.getMany<unknown>(
      await this.factsCollection(),
      [...new Set([...touched, ...membersAsOfFrom.keys()])],
      { shared: true },
    );
    // A record not past the step's end is the profile's facts as of it (the view has applied
    // everything up to there, and nothing of the profile after): nothing to evolve. Live, with
    // the projector in step, that is every profile the step touched.
    const final = new Set<string>();
    for (const profile of touched) {
      const record = stored.get(profile);
      if (record && record.position <= to) {
        final.add(profile);
        this.hold(profile, record);
      }
    }
    for (const step of steps) {
      if (step.kind === 'regroup') {
        const histories = await readGroupHistories(this.eventStore, step.regroup);
        const outcome = refoldGroups(FACTS, step.regroup, histories);
        for (const record of outcome.records)
          if (!final.has(record.key)) this.hold(record.key, record);
        for (const removed of outcome.removed) if (!final.has(removed)) this.hold(removed, null);
        continue;
      }
      for (const { customerId, events: own, positions } of step.byProfile.values()) {
        if (final.has(customerId)) continue;
        let before = this.held.get(customerId);
        if (before === undefined) {
          const record = stored.get(customerId);
          before =
            record && record.position <= from
              ? record
              : ((await this.foldAsOf(customerId, membersAsOfFrom.get(customerId)!, from)) ?? null);
        }
        const { record } = evolveOrPark(FACTS, customerId, before ?? undefined, own, positions);
        this.hold(customerId, record ?? before);
      }
    }
    const facts = new Map<string, SignalFacts>();
    for (const profile of touched) {
      const record = this.held.get(profile);
      if (record) facts.set(profile, record.value as SignalFacts);
    }
    this.trim();
    this.at = to;
    return facts;
  }

  /** The held record of a profile as of `position`; undefined when not held as of it. */
  heldAsOf(profile: string, position: bigint): FactsRecord | undefined {
    return this.at === position ? this.held.get(profile) : undefined;
  }

  /**
   * The facts of these profiles (survivors as of `position`, `partition` as of it): held, else
   * the view's record when it is not past `position`, else folded from the member streams.
   */
  async recordsAsOf(
    profiles: readonly string[],
    partition: ProfilePartition,
    position: bigint,
  ): Promise<Map<string, FactsRecord>> {
    const found = await this.load(profiles, partition, position);
    this.trim();
    return found;
  }

  private async load(
    profiles: readonly string[],
    partition: ProfilePartition,
    position: bigint,
  ): Promise<Map<string, FactsRecord>> {
    if (this.at !== position) {
      this.clear();
      this.at = position;
    }
    const found = new Map<string, FactsRecord>();
    const missing: string[] = [];
    for (const profile of profiles) {
      const held = this.held.get(profile);
      if (held === undefined) missing.push(profile);
      else found.set(profile, this.touch(profile, held));
    }
    if (missing.length === 0) return found;
    const stored = await this.readStore.getMany<unknown>(await this.factsCollection(), missing, {
      shared: true,
    });
    const ahead: string[] = [];
    for (const profile of missing) {
      const record = stored.get(profile);
      // No record may mean no facts yet, or a later merge took them into another record.
      if (record && record.position <= position) found.set(profile, this.hold(profile, record));
      else ahead.push(profile);
    }
    for (const profile of ahead)
      found.set(
        profile,
        this.hold(profile, await this.foldAsOf(profile, partition.membersOf(profile), position)),
      );
    return found;
  }

  /**
   * Survivors as of `position` whose profile a merge or undo after it changed: their records in
   * the view may be gone (absorbed) or hold other members' events. Read after the view, so it
   * covers every regroup the view has applied.
   */
  async regroupedAfter(position: bigint, partition: ProfilePartition): Promise<Set<string>> {
    const following = ProfilePartition.empty();
    const changed = new Set<string>();
    for (const recorded of await this.eventStore.readStream(IDENTITY_GRAPH_STREAM)) {
      const regroup = following.follow(recorded);
      if (!regroup || recorded.position <= position) continue;
      for (const group of regroup.groups)
        for (const member of group.members) changed.add(partition.survivorOf(member));
      for (const member of regroup.absorbed) changed.add(partition.survivorOf(member));
    }
    return changed;
  }

  /** A profile folded from its member streams' events up to `position`, as the projector would. */
  private async foldAsOf(
    survivor: string,
    members: readonly string[],
    position: bigint,
  ): Promise<FactsRecord> {
    const [{ events, positions }] = await readGroupHistories(this.eventStore, {
      // Histories are read strictly before a regroup's position: this takes `position` in.
      position: position + 1n,
      groups: [{ survivor, members }],
      absorbed: [],
    });
    return evolveOrPark(FACTS, survivor, undefined, events, positions).record ?? null;
  }

  private hold(profile: string, record: FactsRecord): FactsRecord {
    const before = this.held.get(profile);
    if (before !== undefined) {
      this.heldFacts -= weightOf(before);
      this.held.delete(profile);
    }
    this.held.set(profile, record);
    this.heldFacts += weightOf(record);
    return record;
  }

  /** Marks a profile used now: the Map's order is the order of last use. */
  private touch(profile: string, record: FactsRecord): FactsRecord {
    this.held.delete(profile);
    this.held.set(profile, record);
    return record;
  }

  private trim(): void {
    for (const [profile, record] of this.held) {
      if (this.heldFacts <= this.maxFacts) break;
      this.held.delete(profile);
      this.heldFacts -= weightOf(record);
    }
  }

  private clear(): void {
    this.held.clear();
    this.heldFacts = 0;
    this.at = undefined;
  }
}

function weightOf(record: FactsRecord): number {
  const facts = record?.value as SignalFacts | undefined;
  if (!facts) return 1;
  return 1 + facts.purchases.length + facts.cancellations.length + facts.complaints.length;
}
