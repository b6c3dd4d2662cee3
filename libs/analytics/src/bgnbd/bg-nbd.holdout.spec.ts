import { simulateBgNbdCustomers } from '../testing';
import { fitBgNbd } from './bg-nbd.fit';
import { bgNbdHoldoutTable, holdoutCustomerOf, holdoutLengthOf } from './bg-nbd.holdout';

describe('the calibration/holdout check', () => {
  describe('when customers simulated from known parameters are fitted on the calibration period', () => {
    const holdoutEnd = '2026-07-01T00:00:00.000Z';
    const calibrationEnd = '2025-12-31T23:59:59.999Z';
    const truth = { r: 0.8, alpha: 6, a: 0.7, b: 2.5 };
    const customers = simulateBgNbdCustomers({
      params: truth,
      unit: 'weeks',
      customers: 6_000,
      seed: 21,
      minAge: 60,
      maxAge: 104,
      asOf: holdoutEnd,
    })
      .map((c) => holdoutCustomerOf(c.purchases, { calibrationEnd, holdoutEnd, unit: 'weeks' }))
      .filter((c) => c !== null);
    const fit = fitBgNbd({ unit: 'weeks', summaries: customers.map((c) => c.calibration) });
    const length = holdoutLengthOf(calibrationEnd, holdoutEnd, 'weeks');
    const table = bgNbdHoldoutTable(fit.params, customers, length);

    it('predicts the holdout transactions in total within 5%', () => {
      expect(length).toBeCloseTo(182 / 7, 10);
      expect(table.total.customers).toBe(customers.length);
      expect(table.total.predicted / table.total.actual).toBeGreaterThan(0.95);
      expect(table.total.predicted / table.total.actual).toBeLessThan(1.05);
    });

    it('has rows 0 … 6 and 7+ that add up to the totals, each close to its actual', () => {
      expect(table.rows.map((r) => r.calibrationRepeats)).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7+',
      ]);
      expect(table.rows.reduce((s, r) => s + r.customers, 0)).toBe(table.total.customers);
      for (const row of table.rows.filter((r) => r.customers >= 200))
        expect(Math.abs(row.predictedMean - row.actualMean)).toBeLessThan(
          0.25 * Math.max(row.actualMean, 0.4),
        );
    });
  });

  describe('when one customer is split at a calibration end', () => {
    it('counts calibration repeats and holdout purchase days, several orders of a day once', () => {
      const split = holdoutCustomerOf(
        [
          '2026-01-01T10:00:00Z',
          '2026-01-08T10:00:00Z',
          '2026-01-31T23:00:00Z',
          '2026-02-01T01:00:00Z',
          '2026-02-01T20:00:00Z',
          '2026-02-10T08:00:00Z',
          '2026-03-10T08:00:00Z',
        ],
        {
          calibrationEnd: '2026-01-31T23:59:59.999Z',
          holdoutEnd: '2026-02-28T23:59:59.999Z',
          unit: 'days',
        },
      );
      expect(split).toEqual({ calibration: { x: 2, tx: 30, T: 30 }, holdoutTransactions: 2 });
    });

    it('leaves out a customer first seen in the holdout', () => {
      expect(
        holdoutCustomerOf(['2026-02-03T00:00:00Z'], {
          calibrationEnd: '2026-01-31T23:59:59.999Z',
          holdoutEnd: '2026-02-28T23:59:59.999Z',
          unit: 'days',
        }),
      ).toBeNull();
    });
  });
});
