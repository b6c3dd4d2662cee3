import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection } from '@rapport/projections';
import { customerValueFactsOf, customerValueOf, DEFAULT_VALUE_SETTINGS } from './customer-value';

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
