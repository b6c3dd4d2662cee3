import { only } from '../testing';
import { evaluatePopulation } from './evaluate-population';
import type { CustomerStanding, PopulationRow } from './population-facts';

const rules = only('winBack');
const row = (
  customerId: string,
  valueTier: PopulationRow['valueTier'],
  riskBand: PopulationRow['riskBand'],
) =>
  ({
    customerId,
    valueTier,
    revenueMinor: 80_000,
    riskBand,
    riskScore: riskBand === 'high' ? 82 : 20,
    churnProbability: riskBand === 'high' ? 0.74 : 0.1,
    valueAtRiskMinor: riskBand === 'high' ? 59_200 : 8_000,
    reasonCodes: riskBand === 'high' ? ['PURCHASE_OVERDUE', 'RECENT_CANCELLATIONS'] : [],
  }) satisfies PopulationRow;

function evaluate(snapshots: ReadonlyArray<{ asOf: string; rows: PopulationRow[] }>) {
  const standings = new Map<string, CustomerStanding>();
  let lastWindow: string | null = null;
  return snapshots.flatMap(({ asOf, rows }) => {
    const outcome = evaluatePopulation({
      rows,
      snapshot: { asOf, currency: 'EUR', windowMonths: 12 },
      lastWindow,
      windowSeconds: 86_400,
      standingOf: (id) => standings.get(id),
      factsOf: () => undefined,
      rules,
    });
    if (!outcome) return [];
    lastWindow = outcome.window;
    for (const { customerId, standing } of outcome.standings) standings.set(customerId, standing);
    return outcome.signals;
  });
}

describe('win-back', () => {
  it('when churn risk turns high for a tier A customer, then a win-back states the value at risk and the reasons', () => {
    const [signal, ...rest] = evaluate([
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 'medium')] },
      { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'A', 'high')] },
    ]);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      rule: 'win-back',
      trigger: 'risk-high',
      valueAtStake: { minor: 59_200, currency: 'EUR' },
      dueAt: '2026-05-02T08:00:00Z',
      expiresAt: '2026-06-01T08:00:00.000Z',
    });
    expect(signal.reason).toBe(
      'Churn risk turned high (score 82, churn probability 74 %) for a tier A customer: ' +
        '592.00 EUR at risk; purchase overdue, recent cancellations.',
    );
    expect(signal.evidence.figures).toMatchObject({ tier: 'A', previousBand: 'medium' });
  });

  it('when the customer is first seen already at high risk, then one already-high win-back, and none while the risk stays high', () => {
    const signals = evaluate([
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 'high'), row('C-2', 'A', 'low')] },
      { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'A', 'high'), row('C-2', 'A', 'low')] },
    ]);
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      trigger: 'already-high',
      subject: { id: 'C-1' },
      dueAt: '2026-05-01T08:00:00Z',
      valueAtStake: { minor: 59_200, currency: 'EUR' },
    });
    expect(signals[0].reason).toContain('Churn risk already high (score 82');
    expect(signals[0].evidence.figures).toMatchObject({ previousBand: 'first evaluated' });
  });

  it('when many are already at high risk at the first evaluation, then only the largest values at risk get one, up to the limit', () => {
    const limited = { ...rules, winBack: { ...rules.winBack, alreadyHighLimit: 2 } };
    const rows = [10, 40, 30, 20].map((k) => ({
      ...row(`C-${k}`, 'A', 'high'),
      valueAtRiskMinor: k * 1_000,
    }));
    const outcome = evaluatePopulation({
      rows,
      snapshot: { asOf: '2026-05-01T00:00:00Z', currency: 'EUR', windowMonths: 12 },
      lastWindow: null,
      windowSeconds: 86_400,
      standingOf: () => undefined,
      factsOf: () => undefined,
      rules: limited,
    });
    expect(outcome?.signals.map((s) => s.subject.id)).toEqual(['C-40', 'C-30']);
    // Everyone's standing is kept: the others are not signalled later while they stay high.
    expect(outcome?.standings).toHaveLength(4);
  });

  it('when the limit is 0, then a customer first seen at high risk is only the baseline', () => {
    const off = { ...rules, winBack: { ...rules.winBack, alreadyHighLimit: 0 } };
    const outcome = evaluatePopulation({
      rows: [row('C-1', 'A', 'high')],
      snapshot: { asOf: '2026-05-01T00:00:00Z', currency: 'EUR', windowMonths: 12 },
      lastWindow: null,
      windowSeconds: 86_400,
      standingOf: () => undefined,
      factsOf: () => undefined,
      rules: off,
    });
    expect(outcome?.signals).toEqual([]);
  });

  it('when the risk stays high, then no second win-back; when it drops and turns high again, then a new one', () => {
    const signals = evaluate([
      { asOf: '2026-04-30T08:00:00Z', rows: [row('C-1', 'B', 'medium')] },
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'B', 'high')] },
      { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'B', 'high')] },
      { asOf: '2026-05-03T08:00:00Z', rows: [row('C-1', 'B', 'low')] },
      { asOf: '2026-05-04T08:00:00Z', rows: [row('C-1', 'B', 'high')] },
    ]);
    expect(signals.map((s) => s.dueAt)).toEqual(['2026-05-01T08:00:00Z', '2026-05-04T08:00:00Z']);
    expect(new Set(signals.map((s) => s.id)).size).toBe(2);
  });

  it('when a tier A customer slid to tier C as the risk turned high, then they are still won back (the better tier counts)', () => {
    const signals = evaluate([
      { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'A', 'low')] },
      { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'C', 'high')] },
    ]);
    expect(signals.map((s) => s.evidence.figures.tier)).toEqual(['A']);
  });

  it('when the customer is in tier C only, then no win-back', () => {
    expect(
      evaluate([
        { asOf: '2026-05-01T08:00:00Z', rows: [row('C-1', 'C', 'low')] },
        { asOf: '2026-05-02T08:00:00Z', rows: [row('C-1', 'C', 'high')] },
      ]),
    ).toEqual([]);
  });
});
