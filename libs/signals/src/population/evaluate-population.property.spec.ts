import fc from 'fast-check';
import { DEFAULT_SIGNAL_RULES } from '../signal-rules.config';
import { signalContent } from '../signal-content';
import { evaluatePopulation } from './evaluate-population';
import type { CustomerStanding, PopulationRow } from './population-facts';

const START = Date.parse('2026-01-01T00:00:00Z');
const CUSTOMERS = ['C-1', 'C-2', 'C-3', 'C-4'];

const rowOf = fc.record({
  valueTier: fc.constantFrom('A', 'B', 'C', 'none') as fc.Arbitrary<PopulationRow['valueTier']>,
  riskBand: fc.constantFrom('low', 'medium', 'high') as fc.Arbitrary<PopulationRow['riskBand']>,
  revenueMinor: fc.nat({ max: 1_000_000 }),
});

/** Snapshots some hours apart (several in one window at times), each with some customers. */
const snapshots = fc.array(
  fc.record({
    afterHours: fc.integer({ min: 0, max: 60 }),
    rows: fc.array(fc.tuple(fc.constantFrom(...CUSTOMERS), rowOf), { maxLength: 4 }),
  }),
  { maxLength: 12 },
);

function run(
  history: ReadonlyArray<{
    afterHours: number;
    rows: ReadonlyArray<
      readonly [string, Pick<PopulationRow, 'valueTier' | 'riskBand' | 'revenueMinor'>]
    >;
  }>,
): string[] {
  const standings = new Map<string, CustomerStanding>();
  let lastWindow: string | null = null;
  let at = START;
  const out: string[] = [];
  for (const { afterHours, rows } of history) {
    at += afterHours * 3_600_000;
    const asOf = new Date(at).toISOString();
    const outcome = evaluatePopulation({
      rows: [...new Map(rows).entries()].map(([customerId, r]) => ({
        customerId,
        ...r,
        riskScore: 50,
        churnProbability: 0.5,
        valueAtRiskMinor: Math.round(r.revenueMinor / 2),
        reasonCodes: [],
      })),
      snapshot: { asOf, currency: 'EUR', windowMonths: 12 },
      lastWindow,
      windowSeconds: 86_400,
      standingOf: (id) => standings.get(id),
      factsOf: () => undefined,
      rules: DEFAULT_SIGNAL_RULES,
    });
    if (!outcome) continue;
    lastWindow = outcome.window;
    for (const { customerId, standing } of outcome.standings) standings.set(customerId, standing);
    for (const signal of outcome.signals) {
      expect(signal.evidence.snapshot?.asOf).toBe(asOf);
      expect(signal.reason.length).toBeGreaterThan(0);
      expect(Date.parse(signal.expiresAt)).toBeGreaterThan(Date.parse(signal.dueAt));
      out.push(signalContent(signal));
    }
  }
  return out;
}

describe('population rules (properties)', () => {
  it('a replay of the same snapshots gives the same signals and ids; ids are unique; one evaluation per window', () => {
    fc.assert(
      fc.property(snapshots, (history) => {
        const first = run(history);
        expect(run(history)).toEqual(first);
        const ids = first.map((content) => (JSON.parse(content) as { id: string }).id);
        expect(new Set(ids).size).toBe(ids.length);
        // Each snapshot seen twice (a restart re-reading the current one): nothing more.
        const twice = history.flatMap((s) => [s, { ...s, afterHours: 0 }]);
        expect(run(twice)).toEqual(first);
      }),
    );
  });
});
