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
import { riskTurnedHigh, winBackSignal } from './win-back.rule';

/** A customer one of the population rules fires for (their facts are read before the signal). */
export interface PopulationCandidate {
  readonly row: PopulationRow;
  readonly before: CustomerStanding | undefined;
  readonly move: 'down' | 'up' | undefined;
  readonly winBack: boolean;
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
    const winBack = riskTurnedHigh(before, row, rules.winBack);
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
  if (winBack && before)
    signals.push(winBackSignal(before, row, snapshot, window, facts, rules.winBack));
  return signals;
}

export interface PopulationEvaluation {
  readonly window: string;
  readonly signals: readonly Signal[];
  readonly standings: PopulationChanges['standings'];
}

/**
 * One snapshot evaluated against the last: nothing (undefined) when its window was evaluated
 * already or lies before the last one evaluated, so a snapshot seen again, or a second one of the
 * same window, raises nothing; otherwise the signals keyed by its window and the new standings.
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
  const signals = changes.candidates.flatMap((candidate) =>
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
