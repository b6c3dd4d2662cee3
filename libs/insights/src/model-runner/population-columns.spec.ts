import fc from 'fast-check';
import {
  buildInsightsModel,
  buildInsightsModelOf,
  type InsightsOptions,
  type PopulationFacts,
} from '../population';
import { populationOfColumns } from './columns-population';
import { populationColumnsOf, transferablesOf } from './population-columns';

const asOf = '2026-11-01T00:00:00.000Z';
const settings: InsightsOptions = {
  asOf,
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 2,
  value: {
    clv: { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 0.3 },
    unitCosts: { callMinuteMinor: 0, complaintMinor: 0, cancellationMinor: 0, emailSentMinor: 0 },
  },
};

const facts: PopulationFacts[] = [
  {
    customerId: 'C-1',
    revenueMinor: 12_000,
    purchaseDates: ['2026-01-03T10:00:00.000Z', '2026-03-04T11:00:00Z', '2026-06-05T09:30:00Z'],
    cancellationDates: ['2026-03-05T08:00:00Z'],
    spend: { x: 2, meanSpend: 4_000 },
  },
  {
    customerId: 'C-2',
    revenueMinor: 0,
    purchaseDates: [],
    cancellationDates: [],
    otherCurrencies: ['USD'],
  },
  {
    customerId: 'C-3',
    revenueMinor: 5_000,
    purchaseDates: ['2025-12-24T23:59:59.999Z', '2026-10-31T23:59:59.999Z'],
    cancellationDates: [],
    spend: { x: 1, meanSpend: 2_500 },
    otherCurrencies: ['GBP', 'USD'],
  },
  {
    customerId: 'C-4',
    revenueMinor: 7_000,
    purchaseDates: ['2026-02-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    cancellationDates: [],
    spend: null,
  },
];

/** The population the model thread reads: the pages as they arrive, read in place. */
const fromPages = (...pages: PopulationFacts[][]) =>
  populationOfColumns(pages.map((page) => populationColumnsOf(page)));

describe('population facts as columns (what travels to the model thread)', () => {
  it('reads back each customer, with instants as epoch ms and no spend as null', () => {
    const population = fromPages(facts.slice(0, 1), facts.slice(1));
    expect(population.customerIds).toEqual(['C-1', 'C-2', 'C-3', 'C-4']);
    expect(Array.from(population.revenueMinor)).toEqual([12_000, 0, 5_000, 7_000]);
    const histories = [...population.histories];
    expect(histories[0]).toEqual({
      customerId: 'C-1',
      purchaseDates: [
        Date.parse('2026-01-03T10:00:00.000Z'),
        Date.parse('2026-03-04T11:00:00Z'),
        Date.parse('2026-06-05T09:30:00Z'),
      ],
      cancellationDates: [Date.parse('2026-03-05T08:00:00Z')],
    });
    expect(histories[1]).toEqual({ customerId: 'C-2', purchaseDates: [], cancellationDates: [] });
    const value = [...population.valueFacts];
    expect(value[0]).toEqual({ revenueMinor: 12_000, spend: { x: 2, meanSpend: 4_000 } });
    expect(value[1]).toEqual({ revenueMinor: 0, spend: null, otherCurrencies: ['USD'] });
    expect(value[2].otherCurrencies).toEqual(['GBP', 'USD']);
    expect(value[3].spend).toBeNull();
    // Walked again from the start: the model walks the histories three times.
    expect([...population.histories]).toEqual(histories);
  });

  it('gives the model the objects give', () => {
    expect(
      buildInsightsModelOf(fromPages(facts.slice(0, 3), [], facts.slice(3)), settings),
    ).toEqual(buildInsightsModel(facts, settings));
  });

  it('gives the model the objects give for any population, however paged', () => {
    const DAY = 86_400_000;
    const start = Date.parse('2024-06-01T00:00:00.000Z');
    const instant = fc.integer({ min: 0, max: 560 * DAY }).map((ms) => start + ms);
    const customer = fc.record({
      revenueMinor: fc.integer({ min: 0, max: 500_000 }),
      purchases: fc.array(instant, { maxLength: 8 }),
      cancellations: fc.array(instant, { maxLength: 2 }),
      spend: fc.option(
        fc.record({
          x: fc.integer({ min: 0, max: 7 }),
          meanSpend: fc.integer({ min: 0, max: 90_000 }),
        }),
      ),
      asStrings: fc.boolean(),
      others: fc.subarray(['GBP', 'USD']),
    });
    fc.assert(
      fc.property(fc.array(customer, { maxLength: 40 }), fc.array(fc.nat(40)), (drawn, cuts) => {
        const population: PopulationFacts[] = drawn.map((c, i) => ({
          customerId: `C-${String(i).padStart(3, '0')}`,
          revenueMinor: c.revenueMinor,
          purchaseDates: c.asStrings
            ? c.purchases.map((ms) => new Date(ms).toISOString())
            : c.purchases,
          cancellationDates: c.cancellations,
          ...(c.spend === null && i % 2 ? {} : { spend: c.spend }),
          ...(c.others.length ? { otherCurrencies: c.others } : {}),
        }));
        const bounds = [
          ...new Set([0, ...cuts.map((c) => Math.min(c, drawn.length)), drawn.length]),
        ];
        bounds.sort((x, y) => x - y);
        const pages = bounds.slice(1).map((end, k) => population.slice(bounds[k], end));
        expect(buildInsightsModelOf(fromPages(...pages), settings)).toEqual(
          buildInsightsModel(population, settings),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('hands over every number column as a buffer of its own, so none is copied', () => {
    const buffers = transferablesOf(populationColumnsOf(facts));
    expect(buffers).toHaveLength(7);
    expect(new Set(buffers).size).toBe(7);
  });

  it('reads empty pages as no customers', () => {
    const population = fromPages([], []);
    expect(population.customerIds).toEqual([]);
    expect([...population.histories]).toEqual([]);
  });
});
