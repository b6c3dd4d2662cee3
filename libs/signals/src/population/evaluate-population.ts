import type { SignalFacts } from '../facts/signal-facts';
import type { Signal } from '../signal';
import type { SignalRulesConfig } from '../signal-rules.config';
import {
  populationWindow,
  standingOf,
  type CustomerStanding,
  type PopulationRow,
  type PopulationSnapshot,
} from './population-facts';
import { tierMoved, tierMoveSignal } from './tier-move.rule';
import { alreadyHigh, riskTurnedHigh, winBackSignal } from './win-back.rule';

/** A customer one of the population rules fires for (their facts are read before the signal). */
export interface PopulationCandidate {
  readonly row: PopulationRow;
  readonly before: CustomerStanding | undefined;
  readonly move: 'down' | 'up' | undefined;
  /** Risk turned high since the last evaluation, or was high already when first seen. */
  readonly winBack: 'turned-high' | 'already-high' | undefined;
}

export interface PopulationChanges {
  readonly candidates: readonly PopulationCandidate[];
  /** Standings to keep: new customers, and those whose tier or band changed. */
  readonly standings: ReadonlyArray<{
    readonly customerId: string;
    readonly standing: CustomerStanding;
  }>;
}

/**
 * One snapshot's rows against the standings of the last evaluation: who moved tier, whose risk
 * turned high, and the standings that change. Customers missing from the rows (parked, or
 * unknown as of the snapshot) keep their standing.
 */
export function populationChanges(
  rows: Iterable<PopulationRow>,
  standingOfCustomer: (customerId: string) => CustomerStanding | undefined,
  snapshot: PopulationSnapshot,
  rules: SignalRulesConfig,
): PopulationChanges {
  const candidates: PopulationCandidate[] = [];
  const standings: Array<{ customerId: string; standing: CustomerStanding }> = [];
  for (const row of rows) {
    const before = standingOfCustomer(row.customerId);
    const move = tierMoved(before, row, rules.tierMove);
    const winBack = riskTurnedHigh(before, row, rules.winBack)
      ? 'turned-high'
      : alreadyHigh(before, row, rules.winBack)
        ? 'already-high'
        : undefined;
    if (move || winBack) candidates.push({ row, before, move, winBack });
    if (!before || before.tier !== row.valueTier || before.band !== row.riskBand)
      standings.push({ customerId: row.customerId, standing: standingOf(row, snapshot.asOf) });
  }
  return { candidates, standings };
}

/** The signals of one candidate, with the evidence its facts give (if it has any). */
export function populationSignals(
  candidate: PopulationCandidate,
  facts: SignalFacts | undefined,
  snapshot: PopulationSnapshot,
  window: string,
  rules: SignalRulesConfig,
): Signal[] {
  const { row, before, move, winBack } = candidate;
  const signals: Signal[] = [];
  if (move && before)
    signals.push(tierMoveSignal(move, before, row, snapshot, window, facts, rules.tierMove));
  if (winBack) signals.push(winBackSignal(before, row, snapshot, window, facts, rules.winBack));
  return signals;
}

/**
 * The candidates of one evaluation with at most `limit` of those first seen already at high
 * risk: the largest values at risk (ties by customer id, so a replay keeps the same ones).
 */
export function limitAlreadyHigh(
  candidates: readonly PopulationCandidate[],
  limit: number,
): PopulationCandidate[] {
  const alreadyHigh = candidates.filter((c) => c.winBack === 'already-high');
  if (alreadyHigh.length <= limit) return [...candidates];
  const kept = new Set(
    alreadyHigh
      .sort(
        (a, b) =>
          b.row.valueAtRiskMinor - a.row.valueAtRiskMinor ||
          (a.row.customerId < b.row.customerId ? -1 : 1),
      )
      .slice(0, limit),
  );
  return candidates.filter((c) => c.winBack !== 'already-high' || kept.has(c));
}

export interface PopulationEvaluation {
  readonly window: string;
  readonly signals: readonly Signal[];
  readonly standings: PopulationChanges['standings'];
}

/**
 * The population as of one window boundary evaluated against the last: nothing (undefined) when
 * its window was evaluated already or lies before the last one evaluated, so a boundary seen
 * again raises nothing; otherwise the signals keyed by its window and the new standings.
 */
export function evaluatePopulation(input: {
  readonly rows: Iterable<PopulationRow>;
  readonly snapshot: PopulationSnapshot;
  readonly lastWindow: string | null;
  readonly windowSeconds: number;
  readonly standingOf: (customerId: string) => CustomerStanding | undefined;
  readonly factsOf: (customerId: string) => SignalFacts | undefined;
  readonly rules: SignalRulesConfig;
}): PopulationEvaluation | undefined {
  const window = populationWindow(input.snapshot.asOf, input.windowSeconds);
  if (input.lastWindow !== null && Date.parse(window) <= Date.parse(input.lastWindow))
    return undefined;
  const changes = populationChanges(input.rows, input.standingOf, input.snapshot, input.rules);
  const candidates = limitAlreadyHigh(changes.candidates, input.rules.winBack.alreadyHighLimit);
  const signals = candidates.flatMap((candidate) =>
    populationSignals(
      candidate,
      input.factsOf(candidate.row.customerId),
      input.snapshot,
      window,
      input.rules,
    ),
  );
  return { window, signals, standings: changes.standings };
}
