import { buildInsightsModel, type InsightsOptions, type PopulationFacts } from '../population';
import {
  populationColumnsOf,
  populationFactsOfColumns,
  transferablesOf,
} from './population-columns';

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

describe('population facts as columns (what travels to the model thread)', () => {
  it('reads back each customer, with instants as epoch ms and no spend as null', () => {
    const back = populationFactsOfColumns(populationColumnsOf(facts));
    expect(back.map((f) => f.customerId)).toEqual(['C-1', 'C-2', 'C-3', 'C-4']);
    expect(back[0].purchaseDates).toEqual([
      Date.parse('2026-01-03T10:00:00.000Z'),
      Date.parse('2026-03-04T11:00:00Z'),
      Date.parse('2026-06-05T09:30:00Z'),
    ]);
    expect(back[0].cancellationDates).toEqual([Date.parse('2026-03-05T08:00:00Z')]);
    expect(back[0].spend).toEqual({ x: 2, meanSpend: 4_000 });
    expect(back[1]).toEqual({
      customerId: 'C-2',
      revenueMinor: 0,
      purchaseDates: [],
      cancellationDates: [],
      spend: null,
      otherCurrencies: ['USD'],
    });
    expect(back[2].otherCurrencies).toEqual(['GBP', 'USD']);
    expect(back[3].spend).toBeNull();
  });

  it('gives the model the objects give', () => {
    const fromColumns = buildInsightsModel(
      populationFactsOfColumns(populationColumnsOf(facts)),
      settings,
    );
    expect(fromColumns).toEqual(buildInsightsModel(facts, settings));
  });

  it('hands over every number column as a buffer of its own, so none is copied', () => {
    const buffers = transferablesOf(populationColumnsOf(facts));
    expect(buffers).toHaveLength(7);
    expect(new Set(buffers).size).toBe(7);
  });

  it('reads an empty page as no customers', () => {
    expect(populationFactsOfColumns(populationColumnsOf([]))).toEqual([]);
  });
});
