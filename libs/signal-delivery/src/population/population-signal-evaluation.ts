import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { InsightsRow, InsightsSnapshot } from '@rapport/insights';
import type { ReadStore } from '@rapport/read-store';
import {
  populationChanges,
  populationSignals,
  populationWindow,
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
}

/** Rows compared per turn of the event loop: a large population never holds it for long. */
const ROWS_PER_TURN = 5_000;

/**
 * Evaluates the tier-move and win-back rules on an insights snapshot, at most one per window of
 * its as-of instant: compares each row with the customer's standing in the ledger, reads the
 * signal facts of those a rule fires for (their evidence), and records signals, changed
 * standings and the window in one ledger transaction. The snapshot is read, never changed.
 */
export class PopulationSignalEvaluation {
  private readonly logger = new Logger('PopulationSignals');

  constructor(
    private readonly ledger: SqliteSignalLedger,
    private readonly readStore: ReadStore,
    private readonly options: PopulationSignalOptions,
  ) {}

  /** Signals added; undefined when the snapshot's window was evaluated already. */
  async evaluate(snapshot: InsightsSnapshot): Promise<number | undefined> {
    const { rules, windowSeconds } = this.options;
    if (!rules.tierMove.enabled && !rules.winBack.enabled) return undefined;
    const population: PopulationSnapshot = {
      asOf: snapshot.model.asOf,
      position: snapshot.position,
      currency: snapshot.model.currency,
      windowMonths: snapshot.model.windowMonths,
    };
    const window = populationWindow(population.asOf, windowSeconds);
    const last = this.ledger.populationWindow();
    if (last !== null && Date.parse(window) <= Date.parse(last)) return undefined;
    const standings = this.ledger.standings();
    const candidates: PopulationCandidate[] = [];
    const changed: Array<PopulationChanges['standings'][number]> = [];
    for (let from = 0; from < snapshot.rows.length; from += ROWS_PER_TURN) {
      const page = snapshot.rows.slice(from, from + ROWS_PER_TURN).map(populationRowOf);
      const changes = populationChanges(page, (id) => standings.get(id), population, rules);
      candidates.push(...changes.candidates);
      changed.push(...changes.standings);
      await nextTurn();
    }
    const facts = await this.factsOf(candidates.map((c) => c.row.customerId));
    const signals = candidates.flatMap((candidate) =>
      populationSignals(candidate, facts.get(candidate.row.customerId), population, window, rules),
    );
    const outcome = this.ledger.recordPopulation(signals, changed, {
      window,
      asOf: population.asOf,
      position: population.position,
    });
    this.logger.log(
      `population signals as of ${population.asOf} (window ${window}): ${outcome.added} new ` +
        `of ${signals.length}, ${changed.length} standings changed`,
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
