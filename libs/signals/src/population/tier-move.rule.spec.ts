import { foldProjection } from '@rapport/projections';
import { historyOf } from '@rapport/domain/testing';
import { signalFactsProjection } from '../facts/signal-facts.projection';
import { only, purchase } from '../testing';
import { evaluatePopulation } from './evaluate-population';
import type { CustomerStanding, PopulationRow } from './population-facts';

const rules = only('tierMove');
const DAY = 86_400;
const row = (customerId: string, valueTier: PopulationRow['valueTier'], revenueMinor: number) =>
  ({
    customerId,
    valueTier,
    revenueMinor,
    riskBand: 'low',
    riskScore: 10,
    churnProbability: 0.1,
    valueAtRiskMinor: 0,
    reasonCodes: [],
  }) satisfies PopulationRow;
const snapshot = (asOf: string) => ({ asOf, currency: 'EUR', windowMonths: 12 });

/** Evaluates snapshots in turn, keeping standings and the last window as the ledger does. */
function evaluate(
  snapshots: ReadonlyArray<{ asOf: string; rows: PopulationRow[] }>,
  factsOf: (id: string) => ReturnType<typeof signalFactsProjection.initialState> | undefined = () =>
    undefined,
) {
  const standings = new Map<string, CustomerStanding>();
  let lastWindow: string | null = null;
  return snapshots.flatMap(({ asOf, rows }) => {
    const outcome = evaluatePopulation({
      rows,
      snapshot: snapshot(asOf),
      lastWindow,
      windowSeconds: DAY,
      standingOf: (id) => standings.get(id),
      factsOf,
      rules,
    });
    if (!outcome) return [];
    lastWindow = outcome.window;
    for (const { customerId, standing } of outcome.standings) standings.set(customerId, standing);
    return outcome.signals;
  });
}

describe('tier-move', () => {
  it('when a customer is first seen, then their tier is the baseline and nothing fires', () => {
    expect(evaluate([{ asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 90_000)] }])).toEqual(
      [],
    );
  });

  it('when a tier A customer is in tier B at the next window, then a move down is due at that snapshot, with its reason and value at stake', () => {
    const [signal, ...rest] = evaluate([
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 90_000)] },
      { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'B', 40_000)] },
    ]);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      rule: 'tier-move',
      trigger: 'down',
      subject: { kind: 'customer', id: 'C-1' },
      valueAtStake: { minor: 40_000, currency: 'EUR' },
      dueAt: '2026-05-02T08:00:00Z',
      expiresAt: '2026-06-01T08:00:00.000Z',
    });
    expect(signal.reason).toBe(
      'Moved down from value tier A (since 2026-05-01T08:00:00Z) to B as of 2026-05-02T08:00:00Z: ' +
        'trailing 12-month revenue 400.00 EUR, others changed around it.',
    );
    expect(signal.evidence).toMatchObject({
      figures: { fromTier: 'A', toTier: 'B', tierSince: '2026-05-01T08:00:00Z' },
      snapshot: { asOf: '2026-05-02T08:00:00Z' },
    });
  });

  it('when the move is seen again in a second snapshot of the same window, then no second signal', () => {
    const signals = evaluate([
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 90_000)] },
      { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'B', 40_000)] },
      { asOf: '2026-05-02T20:00:00Z', rows: [row('C-1', 'C', 10_000)] },
    ]);
    expect(signals.map((s) => s.evidence.figures.toTier)).toEqual(['B']);
  });

  it('when the same history is evaluated again (a replay), then the same ids', () => {
    const history = [
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 90_000), row('C-2', 'C', 100)] },
      { asOf: '2026-05-03T08:00:00Z', rows: [row('C-1', 'B', 40_000), row('C-2', 'A', 99_000)] },
    ];
    const first = evaluate(history);
    expect(first.map((s) => `${s.subject.id}:${s.trigger}`)).toEqual(['C-1:down', 'C-2:up']);
    expect(evaluate(history)).toEqual(first);
  });

  it('when moves up are switched off, or the move is between C and no revenue, then nothing fires', () => {
    const history = [
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'C', 100), row('C-2', 'C', 100)] },
      { asOf: '2026-05-03T08:00:00Z', rows: [row('C-1', 'A', 99_000), row('C-2', 'none', 0)] },
    ];
    const standings = new Map<string, CustomerStanding>();
    const outcomes = history.map(({ asOf, rows }, i) =>
      evaluatePopulation({
        rows,
        snapshot: snapshot(asOf),
        lastWindow: i === 0 ? null : '2026-05-01T00:00:00.000Z',
        windowSeconds: DAY,
        standingOf: (id) => standings.get(id),
        factsOf: () => undefined,
        rules: only('tierMove', { up: false }),
      }),
    );
    for (const { customerId, standing } of outcomes[0]!.standings)
      standings.set(customerId, standing);
    expect(outcomes.flatMap((o) => o!.signals)).toEqual([]);
  });

  it('when the customer has facts, then the evidence names the orders that entered or left the trailing window, with positions', () => {
    const events = historyOf(
      purchase('O-old', 50_000, '2025-05-01T12:00:00Z'),
      purchase('O-new', 1_000, '2026-05-02T07:00:00Z'),
    );
    const facts = foldProjection(signalFactsProjection, 'C-1', events, undefined, [7n, 9n]);
    const [signal] = evaluate(
      [
        { asOf: '2026-04-30T08:00:00Z', rows: [row('C-1', 'A', 51_000)] },
        { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'B', 1_000)] },
      ],
      () => facts,
    );
    expect(signal.evidence.events.map((e) => [e.type, e.occurredAt, e.position])).toEqual([
      ['PurchaseCompleted', '2025-05-01T12:00:00Z', '7'],
      ['PurchaseCompleted', '2026-05-02T07:00:00Z', '9'],
    ]);
    expect(signal.reason).toContain('2 orders or cancellations changed it');
  });
});
