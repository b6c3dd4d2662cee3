import type { InsightsRow } from '@rapport/insights';
import { deselectionReasons } from './deselection-reasons';

const row = (over: Partial<InsightsRow>): InsightsRow => ({
  customerId: 'C-1',
  revenueMinor: 0,
  valueTier: 'none',
  riskScore: 0,
  riskBand: 'low',
  churnProbability: 0,
  valueAtRiskMinor: 0,
  probabilityAlive: null,
  segment: 'potential',
  reasonCodes: [],
  firstSeenAt: '2026-01-05T09:00:00.000Z',
  lastSeenAt: '2026-03-01T10:00:00.000Z',
  channels: ['phone'],
  clvMinor: 1_190,
  predictedTier: 'C',
  costToServeMinor: 6_000,
  predictedCostMinor: 5_500,
  netValueMinor: -4_310,
  costParts: [{ driver: 'calls', units: 40, costMinor: 6_000 }],
  ...over,
});

describe('the reasons a customer is de-selected', () => {
  it('give the figures: the predicted cost against the CLV, then each cost driver', () => {
    expect(deselectionReasons(row({}), 'EUR', 12)).toEqual([
      'expected cost to serve over 12 months 5500 EUR minor units exceeds the CLV 1190 EUR minor units by 4310 EUR minor units',
      'call minutes in the trailing window: 40 costing 6000 EUR minor units',
    ]);
  });

  it('say, for a customer who has not bought, what their CLV rests on', () => {
    expect(deselectionReasons(row({ clvBasis: 'no-purchase-yet' }), 'EUR', 12)).toEqual([
      'expected cost to serve over 12 months 5500 EUR minor units exceeds the CLV 1190 EUR minor units by 4310 EUR minor units',
      "no purchase yet: the CLV is what the model predicts for a customer without a repeat purchase since first seen on 2026-01-05, at the population's mean spend",
      'call minutes in the trailing window: 40 costing 6000 EUR minor units',
    ]);
  });
});
