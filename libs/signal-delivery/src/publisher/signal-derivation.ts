import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { customerIdFromStream } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import { ProfilePartition } from '@rapport/projector';
import type { ReadStore } from '@rapport/read-store';
import {
  advanceWatermark,
  deriveSignals,
  isPending,
  populationLeadInMs,
  signalFactsProjection,
  type Signal,
  type SignalFacts,
  type SignalRulesConfig,
} from '@rapport/signals';
import type { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import { SignalFactsAsOf } from './signal-facts-as-of';

export interface SignalDerivationOptions {
  readonly rules: SignalRulesConfig;
  /** Events read per step. */
  readonly batchSize: number;
  /** Where the signal facts are read from (the active generation of the view). */
  readonly factsCollection: () => Promise<string>;
  /** Position up to which the projector has applied every event to the facts. */
  readonly projectedUpTo: () => Promise<bigint>;
  /** Bound of the facts derivation holds as of its cursor (see SignalFactsAsOf). */
  readonly maxCachedFacts?: number;
}

const SWEEP_PAGE = 1_000;

/**
 * Follows the event store by position from the ledger's cursor. For the profiles a step's
 * events touched it reads their signal facts (once the projector has applied those events),
 * derives the signals due at the watermark — the latest event time seen, never the wall clock
 * — and records the pending ones in the ledger together with the new cursor. A sweep does the
 * same for every customer, for the rules that fire when time passes without an event.
 *
 * Each event is routed to its profile as the projector routes it (the same partition, followed
 * through the identity graph's merges and undos in log order): an event on an absorbed
 * member's stream is derived from the facts of its profile's survivor, the only record that
 * holds it. A customer never merged is its own survivor, so its signals keep their ids.
 */
export class SignalDerivation {
  private readonly logger = new Logger('SignalDerivation');
  private readonly facts: SignalFactsAsOf;
  private sweptAt: string | null = null;
  /** The profile partition as of `partitionAt`; kept between steps, reloaded when they differ. */
  private partition: ProfilePartition | undefined;
  private partitionAt = -1n;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly ledger: SqliteSignalLedger,
    private readonly options: SignalDerivationOptions,
  ) {
    this.facts = new SignalFactsAsOf(
      eventStore,
      readStore,
      options.factsCollection,
      options.maxCachedFacts,
    );
  }

  /** The latest event time derivation has read (the "as of" of what is still pending). */
  watermark(): string | null {
    return this.ledger.cursor().watermark;
  }

  /** The position derivation has read up to (-1 before any event). */
  readUpTo(): bigint {
    return this.ledger.cursor().position;
  }

  /** One step; true when it read events (there may be more). */
  async step(): Promise<boolean> {
    const cursor = this.ledger.cursor();
    const projected = await this.options.projectedUpTo();
    if (projected <= cursor.position) return false;
    const events = (
      await this.eventStore.readAll({ after: cursor.position, maxCount: this.options.batchSize })
    ).filter((event) => event.position <= projected);
    if (events.length === 0) return false;
    const partition = await this.partitionAsOf(cursor.position);
    // Followed by the facts below: kept for the next step only once this one is recorded.
    this.partition = undefined;
    // The jumps tell the population rules which boundaries only a long silence made due.
    const { watermark, jumps } = advanceWatermark(
      cursor.watermark,
      events
        .filter((event) => customerIdFromStream(event.streamName) !== undefined)
        .map((event) => event.data.occurredAt),
      populationLeadInMs(this.options.rules),
    );
    const facts = await this.facts.advance(events, partition, cursor.position);
    const to = events[events.length - 1].position;
    const signals = watermark
      ? [...facts.values()].flatMap((f) => this.pendingOf(f, watermark))
      : [];
    this.report(this.ledger.record(signals, to, { position: to, watermark }, jumps).conflicts);
    this.partition = partition;
    this.partitionAt = to;
    return true;
  }

  /**
   * The partition as of `position`: the one followed by the previous step when it ended there,
   * else read from the graph stream (a start, or a cursor set back for a replay).
   */
  private async partitionAsOf(position: bigint): Promise<ProfilePartition> {
    if (this.partition && this.partitionAt === position) return this.partition;
    return ProfilePartition.load(this.eventStore, position);
  }

  /**
   * Every customer evaluated at the watermark: a complaint left open, a satisfaction check or a
   * freezing point falls due as event time moves on, with no event of that customer. Skipped
   * while the watermark has not moved since the last sweep. Each profile is evaluated on its
   * facts as of the cursor, as the step that moved the cursor saw them: a record the projector
   * has moved past the cursor is folded again up to it, and profiles a later merge or undo
   * regrouped (whose records may be gone from the view) are taken from the graph stream.
   */
  async sweep(): Promise<number> {
    const { position, watermark } = this.ledger.cursor();
    if (!watermark || watermark === this.sweptAt) return 0;
    const collection = await this.options.factsCollection();
    const partition = await this.partitionAsOf(position);
    const ahead = new Set<string>();
    let added = 0;
    let after: string | undefined;
    do {
      const page = await this.readStore.list<SignalFacts>(collection, {
        limit: SWEEP_PAGE,
        shared: true,
        ...(after ? { after } : {}),
      });
      const signals: Signal[] = [];
      for (const record of page.records) {
        const held = this.facts.heldAsOf(record.key, position);
        if (held !== undefined) {
          if (held) signals.push(...this.pendingOf(held.value as SignalFacts, watermark));
        } else if (record.position <= position)
          signals.push(...this.pendingOf(record.value, watermark));
        else ahead.add(partition.survivorOf(record.key));
      }
      added += this.recordSwept(signals, position);
      after = page.next;
      // One page at a time: a sweep of every customer must not hold the event loop.
      if (after) await nextTurn();
    } while (after);
    for (const profile of await this.facts.regroupedAfter(position, partition)) ahead.add(profile);
    const records = await this.facts.recordsAsOf([...ahead], partition, position);
    added += this.recordSwept(
      [...records.values()].flatMap((r) =>
        r ? this.pendingOf(r.value as SignalFacts, watermark) : [],
      ),
      position,
    );
    this.partition = partition;
    this.partitionAt = position;
    this.sweptAt = watermark;
    return added;
  }

  private recordSwept(signals: readonly Signal[], position: bigint): number {
    const outcome = this.ledger.record(signals, position);
    this.report(outcome.conflicts);
    return outcome.added;
  }

  private pendingOf(facts: SignalFacts, watermark: string): Signal[] {
    return deriveSignals(facts, this.options.rules, watermark).filter((s) =>
      isPending(s, watermark),
    );
  }

  private report(conflicts: readonly string[]): void {
    for (const id of conflicts)
      this.logger.error(
        `signal ${id} derived again with other content (a late event, or retuned thresholds): ` +
          'the first content stands and the changed one is not delivered; see the ledger conflicts',
      );
  }
}

export const SIGNAL_FACTS = signalFactsProjection.name;
