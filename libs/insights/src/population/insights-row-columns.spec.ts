import fc from 'fast-check';
import type { CostPart } from '@rapport/analytics';
import { InsightsRows, type EncodedInsightsRows } from './insights-row-columns';
import type { InsightsRow } from './insights-rows';
import { inRankOrder, rankedRows } from './rank-order';

const instant = fc
  .integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());
/** Instants as producers may write them, which `toISOString` would not give back. */
const oddInstant = fc.constantFrom('2026-11-20T14:03:00Z', '2026-01-01T00:00:00.000+01:00');
const amount = fc.integer({ min: -1e12, max: 1e12 });
const probability = fc.double({ min: 0, max: 1, noNaN: true });
const part: fc.Arbitrary<CostPart> = fc.record({
  driver: fc.constantFrom('calls', 'complaints', 'cancellations', 'emails'),
  units: fc.double({ min: 0, max: 1e4, noNaN: true }),
  costMinor: fc.integer({ min: 1, max: 1e9 }),
});

const valuePart = fc.record(
  {
    clvMinor: fc.option(amount, { nil: null }),
    clvBasis: fc.constant('no-purchase-yet' as const),
    predictedTier: fc.constantFrom('A', 'B', 'C', 'none') as fc.Arbitrary<InsightsRow['valueTier']>,
    costToServeMinor: fc.integer({ min: 0, max: 1e9 }),
    predictedCostMinor: fc.integer({ min: 0, max: 1e9 }),
    netValueMinor: fc.option(amount, { nil: null }),
    costParts: fc.array(part, { maxLength: 4 }),
  },
  {
    requiredKeys: [
      'clvMinor',
      'costToServeMinor',
      'predictedCostMinor',
      'netValueMinor',
      'costParts',
    ],
  },
);

/** A row as `insightsRowOf` makes one: the value part whole or absent, in its key order. */
const row: fc.Arbitrary<InsightsRow> = fc
  .tuple(
    fc.record({
      customerId: fc.string({ minLength: 1, maxLength: 12 }),
      revenueMinor: amount,
      valueTier: fc.constantFrom('A', 'B', 'C', 'none') as fc.Arbitrary<InsightsRow['valueTier']>,
      riskScore: fc.integer({ min: 0, max: 100 }),
      riskBand: fc.constantFrom('low', 'medium', 'high') as fc.Arbitrary<InsightsRow['riskBand']>,
      churnProbability: probability,
      valueAtRiskMinor: fc.integer({ min: 0, max: 1e12 }),
      probabilityAlive: fc.option(probability, { nil: null }),
      segment: fc.constantFrom('new', 'active-value', 'potential', 'migrating', 'dormant'),
      reasonCodes: fc.subarray(['PURCHASE_OVERDUE', 'CANCELLATIONS', 'UNRESOLVED_COMPLAINT']),
      firstSeenAt: fc.oneof(instant, oddInstant),
      lastSeenAt: fc.option(fc.oneof(instant, oddInstant), { nil: null }),
      channels: fc.subarray(['web', 'phone', 'email', 'store']),
    }),
    fc.option(valuePart, { nil: undefined }),
    fc.option(fc.constantFrom('A', 'B', 'C', 'none'), { nil: undefined }),
  )
  .map(([base, value, predictedTierAlone]) => {
    if (value) {
      const { clvMinor, clvBasis, predictedTier, ...rest } = value;
      return {
        ...base,
        clvMinor,
        ...(clvBasis ? { clvBasis } : {}),
        ...(predictedTier ? { predictedTier } : {}),
        ...rest,
      } as InsightsRow;
    }
    return (
      predictedTierAlone ? { ...base, predictedTier: predictedTierAlone } : base
    ) as InsightsRow;
  });

describe('a snapshot’s rows held as columns', () => {
  it('reads back every row equal to the row object it was made from, in key order', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const columns = InsightsRows.of(rows);
        expect(columns.length).toBe(rows.length);
        expect([...columns]).toEqual(rows);
        expect(columns.map((r) => JSON.stringify(r))).toEqual(rows.map((r) => JSON.stringify(r)));
        for (let i = 0; i < rows.length; i++) expect(columns.at(i)).toEqual(rows[i]);
        expect(columns.at(rows.length)).toBeUndefined();
      }),
    );
  });

  it('reads back the same rows after saving as JSON and reading again', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const saved = JSON.parse(
          JSON.stringify(InsightsRows.of(rows).encoded()),
        ) as EncodedInsightsRows;
        expect([...InsightsRows.fromStored(saved)]).toEqual(rows);
      }),
    );
  });

  it('reads a snapshot saved before the columns (its rows as objects)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const saved = JSON.parse(JSON.stringify(rows)) as InsightsRow[];
        expect([...InsightsRows.fromStored(saved)]).toEqual(rows);
      }),
    );
  });

  it('ranks as the row objects are ranked', () => {
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.customerId, maxLength: 60 }), (rows) => {
        expect([...rankedRows(InsightsRows.of(rows))]).toEqual(inRankOrder(rows));
      }),
    );
  });

  it('shares one list among rows with equal reason codes or channels', () => {
    const [first, second] = fc.sample(row, { numRuns: 2, seed: 3 });
    const columns = InsightsRows.of([
      { ...first, channels: ['web', 'email'] },
      { ...second, channels: ['web', 'email'] },
    ]);
    expect(columns.at(0)!.channels).toBe(columns.at(1)!.channels);
  });
});
