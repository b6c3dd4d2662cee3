import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { InsightsRow, InsightsSnapshot } from '@rapport/insights';
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

export interface PopulationSignalOptions {
  readonly rules: SignalRulesConfig;
  readonly windowSeconds: number;
  /** Where the signal facts are read from (the active generation of the view), for evidence. */
  readonly factsCollection: () => Promise<string>;
  /**
   * The population's tiers and risks as of an instant, from views that have applied every
   * event up to `minPosition` at least (the insights engine's as-of computation: events after
   * the instant do not count).
   */
  readonly populationAsOf: (asOf: string, minPosition: bigint) => Promise<InsightsSnapshot>;
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

  constructor(
    private readonly ledger: SqliteSignalLedger,
    private readonly readStore: ReadStore,
    private readonly options: PopulationSignalOptions,
  ) {}

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
    for (const window of due) {
      if (stop?.aborted) break;
      added += await this.evaluateAt(window, watermark!, readUpTo);
      windows += 1;
    }
    return { windows, added };
  }

  private async start(): Promise<string | null> {
    this.firstEventTime ??= await this.options.firstEventTime();
    return this.firstEventTime;
  }

  private async evaluateAt(window: string, watermark: string, readUpTo: bigint): Promise<number> {
    const { rules } = this.options;
    const snapshot = await this.options.populationAsOf(window, readUpTo);
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
    const facts = await this.factsOf(candidates.map((c) => c.row.customerId));
    // As the event rules do: what expired before event time got here (a catch-up over a long
    // history, a first start over an existing store) is not taken; the standings still move.
    const signals = candidates
      .flatMap((candidate) =>
        populationSignals(candidate, facts.get(candidate.row.customerId), population, window, rules),
      )
      .filter((signal) => isPending(signal, watermark));
    const outcome = this.ledger.recordPopulation(signals, changed, {
      window,
      asOf: window,
      position: snapshot.position,
    });
    this.logger.log(
      `population signals as of ${window}: ${outcome.added} new of ${signals.length}, ` +
        `${changed.length} standings changed`,
    );
    return outcome.added;
  }

  private async factsOf(customerIds: readonly string[]): Promise<Map<string, SignalFacts>> {
    if (customerIds.length === 0) return new Map();
    const collection = await this.options.factsCollection();
    const records = await this.readStore.getMany<SignalFacts>(collection, customerIds, {
      shared: true,
    });
    return new Map([...records].map(([id, record]) => [id, record.value]));
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
