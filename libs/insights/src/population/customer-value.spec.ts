import {
  customerLifetimeValue,
  gammaGammaPopulationMeanSpend,
  type BgNbdFitResult,
  type GammaGammaFitResult,
} from '@rapport/analytics';
import { CDNOW_SAMPLE_PARAMS } from '@rapport/analytics/testing';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import {
  customerValueFactsOf,
  customerValueOf,
  DEFAULT_VALUE_SETTINGS,
  type ValueModel,
} from './customer-value';

const viewOf = (...touchpoints: Parameters<typeof historyOf>) =>
  foldProjection(
    customerViewProjection,
    'C-1',
    historyOf(...touchpoints.map((t) => ({ ...t, customerId: 'C-1' }))),
  );
const buy = (orderId: string, minor: number, occurredAt: string, currency = 'EUR') =>
  aTouchpoint('purchase', { orderId, amount: { minor, currency } }, { occurredAt });
const call = (seconds: number, occurredAt: string, id: string) =>
  aTouchpoint(
    'call',
    { direction: 'inbound', durationSeconds: seconds },
    { occurredAt, touchpointId: id },
  );
const mail = (
  direction: 'inbound' | 'outbound',
  action: 'sent' | 'opened',
  occurredAt: string,
  id: string,
) => aTouchpoint('email', { direction, action }, { occurredAt, touchpointId: id });

const asOf = '2026-06-30T23:59:59.999Z';
const options = { asOf, currency: 'EUR', windowMonths: 12 };

describe('a customer’s value facts', () => {
  describe('when they called, were emailed and complained, some of it before the window', () => {
    const view = viewOf(
      buy('O-1', 4_000, '2026-01-10T10:00:00Z'),
      call(600, '2025-03-01T10:00:00Z', 'c-old'),
      call(300, '2026-02-01T10:00:00Z', 'c-1'),
      call(90, '2026-02-01T15:00:00Z', 'c-2'),
      mail('outbound', 'sent', '2026-03-01T10:00:00Z', 'm-1'),
      mail('inbound', 'sent', '2026-03-02T10:00:00Z', 'm-2'),
      mail('outbound', 'opened', '2026-03-03T10:00:00Z', 'm-3'),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-1', category: 'delivery' },
        { occurredAt: '2026-04-01T10:00:00Z', touchpointId: 'k-1' },
      ),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-1', amount: { minor: 1_000, currency: 'EUR' } },
        { occurredAt: '2026-04-02T10:00:00Z', touchpointId: 'x-1' },
      ),
    );

    it('keeps call seconds and emails the business sent per day in the view', () => {
      expect(view.serviceByDay).toEqual([
        ['2025-03-01', 600, 0],
        ['2026-02-01', 390, 0],
        ['2026-03-01', 0, 1],
      ]);
    });

    it('counts the service taken in the trailing window only', () => {
      expect(customerValueFactsOf(view, options).usage).toEqual({
        callSeconds: 390,
        complaints: 1,
        cancellations: 1,
        emailsSent: 1,
      });
    });

    it('counts it as of an earlier date without what came after', () => {
      expect(
        customerValueFactsOf(view, { ...options, asOf: '2026-02-15T00:00:00.000Z' }).usage,
      ).toEqual({ callSeconds: 990, complaints: 0, cancellations: 0, emailsSent: 0 });
    });
  });

  it('takes spend net of cancellations, in the reporting currency, one transaction per day', () => {
    const view = viewOf(
      buy('O-1', 4_000, '2026-01-10T10:00:00Z'),
      buy('O-2', 1_000, '2026-02-10T10:00:00Z'),
      buy('O-3', 500, '2026-02-10T18:00:00Z'),
      buy('O-4', 9_000, '2026-03-10T10:00:00Z', 'USD'),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-2', amount: { minor: 300, currency: 'EUR' } },
        { occurredAt: '2026-02-11T10:00:00Z', touchpointId: 'x-1' },
      ),
    );
    const facts = customerValueFactsOf(view, options);
    expect(facts.spend).toEqual({ x: 1, meanSpend: 1_200 });
    expect(facts.otherCurrencies).toEqual(['USD']);
  });

  describe('when value is read against a model without fits', () => {
    it('has no CLV and says why, and still a cost to serve', () => {
      const view = viewOf(
        buy('O-1', 4_000, '2026-01-10T10:00:00Z'),
        call(120, '2026-02-01T10:00:00Z', 'c-1'),
      );
      const value = customerValueOf({
        customerId: 'C-1',
        facts: customerValueFactsOf(view, options),
        summary: null,
        probabilityAlive: null,
        bgNbd: null,
        value: {
          settings: {
            ...DEFAULT_VALUE_SETTINGS,
            unitCosts: { ...DEFAULT_VALUE_SETTINGS.unitCosts, callMinuteMinor: 50 },
          },
          spendFit: null,
          predictedCutoffs: null,
        },
        currency: 'EUR',
        windowMonths: 12,
        asOf,
      });
      expect(value).toMatchObject({
        clvMinor: null,
        netValueMinor: null,
        predictedTier: 'none',
        note: 'no BG/NBD fit yet',
        costToServe: { trailingMinor: 100 },
      });
    });
  });
});

describe('a customer who has never bought', () => {
  const bgNbd: BgNbdFitResult = {
    params: CDNOW_SAMPLE_PARAMS,
    unit: 'weeks',
    logLikelihood: -9_582.4,
    iterations: 30,
    converged: true,
    customers: 2_357,
    distinctTriples: 1_000,
  };
  const spendFit: GammaGammaFitResult = {
    params: { p: 6.25, q: 3.74, gamma: 15.44 * 100 },
    logLikelihood: -4_000,
    iterations: 20,
    converged: true,
    customers: 946,
    frequencySpendCorrelation: 0.11,
    meanSpend: null,
  };
  const model = (callMinuteMinor: number): ValueModel => ({
    settings: {
      clv: { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 0.3 },
      unitCosts: { ...DEFAULT_VALUE_SETTINGS.unitCosts, callMinuteMinor },
    },
    spendFit,
    predictedCutoffs: null,
  });
  // First seen 26 weeks before asOf (2026-06-30), with calls but no purchase.
  const view = viewOf(
    call(1_200, '2025-12-30T10:00:00Z', 'c-1'),
    call(1_800, '2026-03-01T10:00:00Z', 'c-2'),
    mail('inbound', 'opened', '2026-04-01T10:00:00Z', 'm-1'),
  );
  const valueOf = (callMinuteMinor: number) =>
    customerValueOf({
      customerId: 'C-1',
      facts: customerValueFactsOf(view, options),
      summary: null,
      probabilityAlive: null,
      bgNbd,
      value: model(callMinuteMinor),
      currency: 'EUR',
      windowMonths: 12,
      asOf,
    });

  it('is worth what BG/NBD predicts for no repeat purchase since first seen, at the mean spend', () => {
    const expected = customerLifetimeValue(
      bgNbd,
      { x: 0, tx: 0, T: 26 },
      gammaGammaPopulationMeanSpend(spendFit.params)!,
      model(0).settings.clv,
    );
    const value = valueOf(0);
    expect(expected.valueMinor).toBeGreaterThan(0);
    expect(value).toMatchObject({
      clvMinor: expected.valueMinor,
      clvBasis: 'no-purchase-yet',
      expectedSpendMinor: Math.round((6.25 * 1_544) / 2.74),
      netValueMinor: expected.valueMinor,
    });
    expect(value.expectedTransactions).toBeCloseTo(expected.expectedTransactions, 12);
  });

  it('says in its note what the CLV rests on, with the figures', () => {
    expect(valueOf(0).note).toBe(
      'no purchase yet: predicted as a customer without a repeat purchase in the 182 days since ' +
        `first seen (BG/NBD x = 0), ${valueOf(0).expectedTransactions!.toFixed(2)} transactions in ` +
        "12 months at the population's mean spend of 3522 EUR minor units (Gamma-Gamma γp/(q − 1))",
    );
  });

  it('is worth less the longer they have been silent since first seen', () => {
    const later = customerValueOf({
      customerId: 'C-1',
      facts: customerValueFactsOf(view, { ...options, asOf: '2027-06-30T23:59:59.999Z' }),
      summary: null,
      probabilityAlive: null,
      bgNbd,
      value: model(0),
      currency: 'EUR',
      windowMonths: 12,
      asOf: '2027-06-30T23:59:59.999Z',
    });
    expect(later.clvMinor!).toBeLessThan(valueOf(0).clvMinor!);
  });

  it('still costs what serving them costs: net value is the CLV less the predicted cost', () => {
    const value = valueOf(200);
    // 50 call minutes in the trailing 12 months at 200 a minute, alive (P = 1 without a purchase).
    expect(value.costToServe.trailingMinor).toBe(10_000);
    let discountedMonths = 0;
    for (let m = 1; m <= 12; m++) discountedMonths += 1 / Math.pow(1.01, m);
    const predictedCost = Math.round((10_000 / 12) * discountedMonths);
    expect(value.costToServe.predictedMinor).toBe(predictedCost);
    expect(value.netValueMinor).toBe(value.clvMinor! - predictedCost);
    expect(value.netValueMinor).toBeLessThan(0);
  });

  it('has no CLV when first seen after asOf, and says so', () => {
    const value = customerValueOf({
      customerId: 'C-1',
      facts: { ...customerValueFactsOf(view, options), firstSeenAt: '2026-07-01T00:00:00.000Z' },
      summary: null,
      probabilityAlive: null,
      bgNbd,
      value: model(0),
      currency: 'EUR',
      windowMonths: 12,
      asOf,
    });
    expect(value).toMatchObject({
      clvMinor: null,
      clvBasis: null,
      netValueMinor: null,
      note: 'no purchase yet, and not seen as of this instant',
    });
  });
});
