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
        { cohort: '2025-01', size: 2, retainedCustomers: [2, 1], retentionRates: [1, 0.5] },
        { cohort: '2025-02', size: 1, retainedCustomers: [1], retentionRates: [1] },
      ],
      maxMonthOffset: 1,
      partialMonth: '2025-03',
    });
  });

  describe('when asOf falls inside a month', () => {
    // 2026-11 bought again in 2026-12 a week in: 8.6 % at month 1 against 26-30 % elsewhere.
    const customers = [
      { customerId: 'a', purchaseDates: ['2026-10-03T00:00:00Z', '2026-11-04T00:00:00Z'] },
      { customerId: 'b', purchaseDates: ['2026-10-09T00:00:00Z'] },
      { customerId: 'c', purchaseDates: ['2026-11-10T00:00:00Z', '2026-12-02T00:00:00Z'] },
      { customerId: 'd', purchaseDates: ['2026-11-12T00:00:00Z'] },
      { customerId: 'e', purchaseDates: ['2026-12-03T00:00:00Z'] },
    ];

    it('leaves that month out of every rate, and its cohort out, and names it partial', () => {
      const table = computeCohortRetention(customers, '2026-12-06T00:00:00Z');
      expect(table.cohorts).toEqual([
        { cohort: '2026-10', size: 2, retainedCustomers: [2, 1], retentionRates: [1, 0.5] },
        { cohort: '2026-11', size: 2, retainedCustomers: [2], retentionRates: [1] },
      ]);
      expect(table.partialMonth).toBe('2026-12');
    });

    it("counts the month once asOf is its last instant (a plain date's end of day)", () => {
      const table = computeCohortRetention(customers, '2026-12-31T23:59:59.999Z');
      expect(table.partialMonth).toBeNull();
      expect(table.cohorts.map((row) => row.retentionRates)).toEqual([[1, 0.5, 0], [1, 0.5], [1]]);
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
        // One expectation per table, not per rate: thousands of matcher calls cost seconds.
        for (const row of table.cohorts) {
          expect(row.retentionRates[0]).toBe(1);
          expect(row.retentionRates.filter((rate) => !(rate >= 0 && rate <= 1))).toEqual([]);
        }
        expect(computeCohortRetention([...base].reverse(), asOf)).toEqual(table);
      }),
    );
  });
});
