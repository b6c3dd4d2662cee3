import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { EventStore } from '@rapport/event-store';
import type { InsightsRow, InsightsSnapshot, ViewsAsOf } from '@rapport/insights';
import type { ReadStore } from '@rapport/read-store';
import {
  isPending,
  limitAlreadyHigh,
  populationChanges,
  populationLeadInMs,
  populationSignals,
  populationWindowsDueAcross,
  type PopulationCandidate,
  type PopulationChanges,
  type PopulationRow,
  type PopulationSnapshot,
  type SignalFacts,
  type SignalRulesConfig,
} from '@rapport/signals';
import type { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import { SignalFactsAsOf } from '../publisher/signal-facts-as-of';
import { ChangesAfterCursor } from './changes-after-cursor';
import { viewsAsOfCursor } from './views-as-of-cursor';

export interface PopulationSignalOptions {
  readonly rules: SignalRulesConfig;
  readonly windowSeconds: number;
  /** Where the signal facts are read from (the active generation of the view), for evidence. */
  readonly factsCollection: () => Promise<string>;
  /** The log: what happened after the cursor, and the member streams folded as of it. */
  readonly eventStore: EventStore;
  /**
   * The population's tiers and risks as of an instant (the insights engine's as-of computation:
   * events after the instant do not count), from the views `viewsAsOf` makes of the stored
   * ones: each as of the ledger's cursor, whatever the projector's lag.
   */
  readonly populationAsOf: (asOf: string, viewsAsOf: ViewsAsOf) => Promise<InsightsSnapshot>;
  /**
   * The event time of the first event in the store: the first boundary evaluated is the one at
   * or before it, whatever derivation happened to read first.
   */
  readonly firstEventTime: () => Promise<string | null>;
  /** Window boundaries evaluated at most in one call (default 100); the next call goes on. */
  readonly maxWindows?: number;
}

export interface PopulationProgress {
  /** Window boundaries evaluated. */
  readonly windows: number;
  /** Signals added to the ledger. */
  readonly added: number;
}

/** Rows compared per turn of the event loop: a large population never holds it for long. */
const ROWS_PER_TURN = 5_000;
const MAX_WINDOWS = 100;

/**
 * Evaluates the tier-move and win-back rules as of each window boundary that event time has
 * passed — the boundary, never the wall clock, is the instant — so a replay of the same events
 * evaluates the same instants and raises the same signals with the same ids. For each boundary
 * it computes the population as of it, compares each row with the customer's standing in the
 * ledger, reads the signal facts of those a rule fires for (their evidence), and records
 * signals, changed standings and the window in one ledger transaction.
 */
export class PopulationSignalEvaluation {
  private readonly logger = new Logger('PopulationSignals');
  private firstEventTime: string | null = null;
  /** What the log held after the cursor at the last call, moved on by the next. */
  private changes: ChangesAfterCursor | undefined;
  private readonly facts: SignalFactsAsOf;

  constructor(
    private readonly ledger: SqliteSignalLedger,
    readStore: ReadStore,
    private readonly options: PopulationSignalOptions,
  ) {
    this.facts = new SignalFactsAsOf(options.eventStore, readStore, options.factsCollection);
  }

  /**
   * The next boundaries due (oldest first, at most `maxWindows`) now that derivation has read
   * events up to `watermark` (event time) and position `readUpTo`. Once `stop` is aborted no
   * further boundary is begun: each is recorded in its own ledger transaction, so those left
   * are evaluated after a restart, and a shutdown waits for one boundary at most, not a
   * catch-up's hundred (each a whole population's computation).
   */
  async evaluateUpTo(
    watermark: string | null,
    readUpTo: bigint,
    stop?: AbortSignal,
  ): Promise<PopulationProgress> {
    const { rules, windowSeconds } = this.options;
    if (!rules.tierMove.enabled && !rules.winBack.enabled) return { windows: 0, added: 0 };
    const last = this.ledger.populationWindow();
    const start = last === null && watermark !== null ? await this.start() : null;
    const maxWindows = this.options.maxWindows ?? MAX_WINDOWS;
    // Read after the caller read the watermark: every jump that carried event time to it is in.
    const due = populationWindowsDueAcross(
      this.ledger.watermarkJumps(),
      populationLeadInMs(rules),
      last,
      watermark,
      start,
      windowSeconds,
      maxWindows,
    );
    let added = 0;
    let windows = 0;
    // Brought up to date once for the boundaries of this call: views move on between calls.
    let changes: ChangesAfterCursor | undefined;
    try {
      for (const window of due) {
        if (stop?.aborted) break;
        changes ??= await this.changesAfter(readUpTo);
        added += await this.evaluateAt(window, watermark!, changes);
        windows += 1;
      }
    } catch (error) {
      // What is carried may be half moved: the next call reads afresh.
      this.changes = undefined;
      throw error;
    }
    return { windows, added };
  }

  /**
   * What the log holds after `readUpTo`: carried from the cursor of the call before (a catch-up
   * reads the log after the cursor once, not once per call), read afresh where it cannot be.
   */
  private async changesAfter(readUpTo: bigint): Promise<ChangesAfterCursor> {
    const { eventStore } = this.options;
    if (!this.changes || !(await this.changes.moveTo(eventStore, readUpTo)))
      this.changes = await ChangesAfterCursor.read(eventStore, readUpTo);
    return this.changes;
  }

  private async start(): Promise<string | null> {
    this.firstEventTime ??= await this.options.firstEventTime();
    return this.firstEventTime;
  }

  /**
   * One boundary, as of the ledger's cursor whatever the projector's lag: the population as of
   * the boundary counting only events up to the cursor, with the profile partition as of it
   * (see viewsAsOfCursor), and the evidence as of the cursor too.
   */
  private async evaluateAt(
    window: string,
    watermark: string,
    changes: ChangesAfterCursor,
  ): Promise<number> {
    const { rules, eventStore } = this.options;
    const { readUpTo } = changes;
    let snapshot = await this.options.populationAsOf(
      window,
      viewsAsOfCursor(eventStore, changes, window),
    );
    // A merge or undo appended while the views were read may have removed a record before the
    // pass reached it: computed again with it known.
    while (await changes.regroupedSinceRead(eventStore)) {
      await changes.readAppended(eventStore);
      snapshot = await this.options.populationAsOf(
        window,
        viewsAsOfCursor(eventStore, changes, window),
      );
    }
    const population: PopulationSnapshot = {
      asOf: window,
      currency: snapshot.model.currency,
      windowMonths: snapshot.model.windowMonths,
    };
    const standings = this.ledger.standings();
    const found: PopulationCandidate[] = [];
    const changed: Array<PopulationChanges['standings'][number]> = [];
    for (let from = 0; from < snapshot.rows.length; from += ROWS_PER_TURN) {
      const page = snapshot.rows.slice(from, from + ROWS_PER_TURN).map(populationRowOf);
      const changes = populationChanges(page, (id) => standings.get(id), population, rules);
      found.push(...changes.candidates);
      changed.push(...changes.standings);
      await nextTurn();
    }
    const candidates = limitAlreadyHigh(found, rules.winBack.alreadyHighLimit);
    const facts = await this.factsOf(
      candidates.map((c) => c.row.customerId),
      changes,
    );
    // As the event rules do: what expired before event time got here (a catch-up over a long
    // history, a first start over an existing store) is not taken; the standings still move.
    const signals = candidates
      .flatMap((candidate) =>
        populationSignals(
          candidate,
          facts.get(candidate.row.customerId),
          population,
          window,
          rules,
        ),
      )
      .filter((signal) => isPending(signal, watermark));
    const outcome = this.ledger.recordPopulation(signals, changed, {
      window,
      asOf: window,
      position: readUpTo.toString(),
    });
    this.logger.log(
      `population signals as of ${window}: ${outcome.added} new of ${signals.length}, ` +
        `${changed.length} standings changed`,
    );
    return outcome.added;
  }

  /** The signal facts of these profiles (survivors as of the cursor) as of the cursor. */
  private async factsOf(
    customerIds: readonly string[],
    changes: ChangesAfterCursor,
  ): Promise<Map<string, SignalFacts>> {
    if (customerIds.length === 0) return new Map();
    const records = await this.facts.recordsAsOf(customerIds, changes.partition, changes.readUpTo);
    const facts = new Map<string, SignalFacts>();
    for (const [id, record] of records) if (record) facts.set(id, record.value as SignalFacts);
    return facts;
  }
}

function populationRowOf(row: InsightsRow): PopulationRow {
  return {
    customerId: row.customerId,
    valueTier: row.valueTier,
    revenueMinor: row.revenueMinor,
    riskBand: row.riskBand,
    riskScore: row.riskScore,
    churnProbability: row.churnProbability,
    valueAtRiskMinor: row.valueAtRiskMinor,
    reasonCodes: row.reasonCodes,
  };
}
