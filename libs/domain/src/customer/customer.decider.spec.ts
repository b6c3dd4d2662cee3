import { aTouchpoint, given, historyOf, INGESTED_AT, record } from '../testing';
import type { Touchpoint } from '../touchpoint/touchpoint';
import type { CustomerEvent } from './customer.events';

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const purchase = (orderId: string, minor: number, extra = {}) =>
  aTouchpoint('purchase', { orderId, amount: eur(minor) }, extra);

describe('customer decider', () => {
  describe('when a touchpoint is recorded', () => {
    it('turns a purchase into PurchaseCompleted carrying the facts and metadata', () => {
      const tp = purchase('O-1', 4999, { source: 'pos', touchpointId: 'pos-1', channel: 'store' });
      given([])
        .when(record(tp, 'corr-9'))
        .then([
          {
            type: 'PurchaseCompleted',
            data: {
              customerId: 'C-1',
              touchpointId: 'pos-1',
              occurredAt: '2026-01-01T10:00:00.000Z',
              channel: 'store',
              orderId: 'O-1',
              amount: eur(4999),
            },
            metadata: {
              schemaVersion: 1,
              source: 'pos',
              ingestedAt: INGESTED_AT,
              correlationId: 'corr-9',
            },
          },
        ]);
    });

    it.each([
      ['web_visit', aTouchpoint('web_visit', { url: 'https://shop/x' }), 'WebVisitRecorded'],
      ['call', aTouchpoint('call', { direction: 'inbound', durationSeconds: 60 }), 'CallLogged'],
      ['email', aTouchpoint('email', { direction: 'outbound', action: 'opened' }), 'EmailRecorded'],
      [
        'complaint',
        aTouchpoint('complaint', { complaintId: 'K-1', category: 'delivery' }),
        'ComplaintRaised',
      ],
    ] as const)('turns a %s into %s', (_type, tp, eventType) => {
      const [event] = historyOf(tp);
      expect(event.type).toBe(eventType);
      expect(event.data).toMatchObject({ ...tp.data, touchpointId: tp.touchpointId });
    });

    it('decides nothing for a touchpoint id already recorded from the same source', () => {
      const tp = purchase('O-1', 100);
      given(historyOf(tp)).when(record(tp)).then([]);
    });

    it('records the same touchpoint id from another source as a new touchpoint', () => {
      const visit = aTouchpoint(
        'web_visit',
        { url: 'https://a' },
        { touchpointId: 'same', source: 'web' },
      );
      const other = { ...visit, source: 'app' };
      const events = historyOf(visit, other);
      expect(events).toHaveLength(2);
    });
  });

  describe('when an order is purchased', () => {
    it('refuses a second purchase of the same order id', () => {
      given(historyOf(purchase('O-1', 100)))
        .when(record(purchase('O-1', 100)))
        .thenThrows('ORDER_ALREADY_PURCHASED');
    });
  });

  describe('when an order is cancelled', () => {
    const paidFor = [purchase('O-1', 5000)];
    const paid = historyOf(...paidFor);

    it('cancels the whole order when no amount is given', () => {
      const [event] = historyOf(
        purchase('O-2', 5000),
        aTouchpoint('cancellation', { orderId: 'O-2' }),
      ).slice(1);
      expect(event).toMatchObject({
        type: 'OrderCancelled',
        data: { orderId: 'O-2', amount: eur(5000), wholeOrder: true },
      });
    });

    it('cancels part of the order for a smaller amount', () => {
      const cancel = aTouchpoint('cancellation', {
        orderId: 'O-1',
        amount: eur(1200),
        reason: 'damaged',
      });
      const events = eventsAfter(paidFor, cancel);
      expect(events[0]).toMatchObject({
        data: { amount: eur(1200), wholeOrder: false, reason: 'damaged' },
      });
    });

    it('refuses an order that was never purchased', () => {
      given(paid)
        .when(record(aTouchpoint('cancellation', { orderId: 'O-404' })))
        .thenThrows('ORDER_NOT_FOUND');
    });

    it('refuses a second cancellation of the same order', () => {
      const once = historyOf(...paidFor, aTouchpoint('cancellation', { orderId: 'O-1' }));
      given(once)
        .when(record(aTouchpoint('cancellation', { orderId: 'O-1' })))
        .thenThrows('ORDER_ALREADY_CANCELLED');
    });

    it('refuses more than was paid', () => {
      given(paid)
        .when(record(aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(5001) })))
        .thenThrows('CANCELLATION_EXCEEDS_PAYMENT');
    });

    it('refuses another currency than the one paid in', () => {
      given(paid)
        .when(
          record(
            aTouchpoint('cancellation', { orderId: 'O-1', amount: { minor: 10, currency: 'USD' } }),
          ),
        )
        .thenThrows('CURRENCY_MISMATCH');
    });
  });

  describe('when complaints are raised and resolved', () => {
    const raisedBy = [aTouchpoint('complaint', { complaintId: 'K-1', category: 'billing' })];
    const raised = historyOf(...raisedBy);

    it('resolves an open complaint', () => {
      const events = eventsAfter(
        raisedBy,
        aTouchpoint('complaint_resolved', { complaintId: 'K-1', resolution: 'refund' }),
      );
      expect(events[0]).toMatchObject({
        type: 'ComplaintResolved',
        data: { complaintId: 'K-1', resolution: 'refund' },
      });
    });

    it('refuses a complaint id raised twice', () => {
      given(raised)
        .when(record(aTouchpoint('complaint', { complaintId: 'K-1', category: 'billing' })))
        .thenThrows('COMPLAINT_ALREADY_RAISED');
    });

    it('refuses to resolve a complaint that was never raised', () => {
      given(raised)
        .when(record(aTouchpoint('complaint_resolved', { complaintId: 'K-2' })))
        .thenThrows('COMPLAINT_NOT_FOUND');
    });

    it('refuses to resolve a complaint twice', () => {
      const resolved = historyOf(
        ...raisedBy,
        aTouchpoint('complaint_resolved', { complaintId: 'K-1' }),
      );
      given(resolved)
        .when(record(aTouchpoint('complaint_resolved', { complaintId: 'K-1' })))
        .thenThrows('COMPLAINT_ALREADY_RESOLVED');
    });
  });
});

/** The events that touchpoints add to those decided from an earlier list of touchpoints. */
function eventsAfter(earlier: Touchpoint[], ...later: Touchpoint[]): CustomerEvent[] {
  return historyOf(...earlier, ...later).slice(historyOf(...earlier).length);
}
