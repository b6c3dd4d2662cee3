import { costToServe } from './cost-to-serve';
import { predictedNetValue } from './net-value';

const costs = {
  callMinuteMinor: 80,
  complaintMinor: 2_500,
  cancellationMinor: 1_200,
  emailSentMinor: 2,
};

describe('cost to serve', () => {
  describe('when a customer called, complained, returned and was emailed', () => {
    const cost = costToServe(
      { callSeconds: 45 * 60 + 30, complaints: 2, cancellations: 1, emailsSent: 40 },
      costs,
    );

    it('costs each driver by its unit cost, calls to the second, most costly first', () => {
      expect(cost.parts).toEqual([
        { driver: 'complaints', units: 2, costMinor: 5_000 },
        { driver: 'calls', units: 45.5, costMinor: 3_640 },
        { driver: 'cancellations', units: 1, costMinor: 1_200 },
        { driver: 'emails', units: 40, costMinor: 80 },
      ]);
      expect(cost.totalMinor).toBe(9_920);
    });
  });

  it('is nothing, with no parts, for a customer who used no service', () => {
    expect(
      costToServe({ callSeconds: 0, complaints: 0, cancellations: 0, emailsSent: 0 }, costs),
    ).toEqual({ totalMinor: 0, parts: [] });
  });

  describe('when the cost is carried over the CLV horizon', () => {
    const trailingCost = { totalMinor: 12_000, parts: [] };

    it('is the monthly rate over the discounted horizon months, weighted by P(alive)', () => {
      const net = predictedNetValue({
        clvMinor: 5_000,
        trailingCost,
        windowMonths: 12,
        probabilityAlive: 0.5,
        options: { horizonMonths: 12, monthlyDiscountRate: 0 },
      });
      // 1,000 a month × 12 months × 0.5.
      expect(net).toEqual({ predictedCostMinor: 6_000, netValueMinor: -1_000 });
    });

    it('takes a customer the model does not cover as alive', () => {
      const net = predictedNetValue({
        clvMinor: 0,
        trailingCost,
        windowMonths: 12,
        probabilityAlive: null,
        options: { horizonMonths: 6, monthlyDiscountRate: 0 },
      });
      expect(net.predictedCostMinor).toBe(6_000);
    });
  });
});
