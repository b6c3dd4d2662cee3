import fc from 'fast-check';
import { computeCohortRetention } from './cohort-retention';

const asOf = '2025-03-15T00:00:00Z';

describe('computeCohortRetention', () => {
  it('groups customers by first-purchase month and counts purchases in later months', () => {
    const table = computeCohortRetention(
      [
        {
          customerId: 'a',
          purchaseDates: ['2025-01-05T00:00:00Z', '2025-02-20T00:00:00Z', '2025-02-21T00:00:00Z'],
        },
        { customerId: 'b', purchaseDates: ['2025-03-01T00:00:00Z', '2025-01-31T23:59:59Z'] },
        { customerId: 'c', purchaseDates: ['2025-02-10T00:00:00Z', '2025-05-01T00:00:00Z'] },
        { customerId: 'd', purchaseDates: [] },
      ],
      asOf,
    );
    expect(table).toEqual({
      cohorts: [
        { cohort: '2025-01', size: 2, retainedCustomers: [2, 1, 1], retentionRates: [1, 0.5, 0.5] },
        { cohort: '2025-02', size: 1, retainedCustomers: [1, 0], retentionRates: [1, 0] },
      ],
      maxMonthOffset: 2,
    });
  });

  it('caps the row length', () => {
    const table = computeCohortRetention(
      [{ customerId: 'a', purchaseDates: ['2020-01-01T00:00:00Z', '2024-12-01T00:00:00Z'] }],
      asOf,
      3,
    );
    expect(table.cohorts[0].retainedCustomers).toEqual([1, 0, 0, 0]);
  });

  it('keeps every rate within [0, 1] with month 0 at 1, independent of input order', () => {
    const instant = fc.integer({
      min: Date.parse('2023-01-01T00:00:00Z'),
      max: Date.parse('2025-06-01T00:00:00Z'),
    });
    const customers = fc.array(
      fc.record({ customerId: fc.string(), purchaseDates: fc.array(instant, { maxLength: 6 }) }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(customers, (base) => {
        const table = computeCohortRetention(base, asOf);
        for (const row of table.cohorts) {
          expect(row.retentionRates[0]).toBe(1);
          for (const rate of row.retentionRates) expect(rate).toBeGreaterThanOrEqual(0);
          for (const rate of row.retentionRates) expect(rate).toBeLessThanOrEqual(1);
        }
        expect(computeCohortRetention([...base].reverse(), asOf)).toEqual(table);
      }),
    );
  });
});
