import { aTouchpoint, given, historyOf, INGESTED_AT, record } from '../testing';
import type { Touchpoint } from '../touchpoint/touchpoint';
import { decide } from './customer.decider';
import type { CustomerEvent } from './customer.events';
import { foldCustomer } from './customer.state';

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

  describe("when a purchase would take the customer's total past 2^53 - 1", () => {
    const max = Number.MAX_SAFE_INTEGER;

    it('refuses it with the total so far and the limit', () => {
      const history = historyOf(purchase('O-1', max));
      given(history)
        .when(record(purchase('O-2', 1_000_000_000_000_000)))
        .thenThrows('CUSTOMER_TOTAL_TOO_LARGE');
      expect(() => decide(record(purchase('O-2', 1)), foldCustomer(history))).toThrow(
        `order O-2 of 1 EUR would take the customer's purchases in EUR (${max} so far) past ${max} minor units`,
      );
    });

    it('takes purchases up to exactly the limit, and others in another currency', () => {
      const history = historyOf(purchase('O-1', max - 10), purchase('O-2', 10));
      expect(history).toHaveLength(2);
      const usd = aTouchpoint('purchase', {
        orderId: 'O-3',
        amount: { minor: max, currency: 'USD' },
      });
      expect(decide(record(usd), foldCustomer(history))).toHaveLength(1);
    });

    it('counts what was purchased, not what is left after cancellations', () => {
      const history = historyOf(
        purchase('O-1', max),
        aTouchpoint('cancellation', { orderId: 'O-1' }),
      );
      given(history)
        .when(record(purchase('O-2', 1)))
        .thenThrows('CUSTOMER_TOTAL_TOO_LARGE');
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

    it('takes several partial cancellations up to what was paid, then refuses more', () => {
      const cancel = (minor: number) =>
        aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(minor) });
      const events = historyOf(purchase('O-1', 1000), cancel(600), cancel(400));
      expect(events.slice(1).map((e) => e.data)).toEqual([
        expect.objectContaining({ amount: eur(600), wholeOrder: false }),
        expect.objectContaining({ amount: eur(400), wholeOrder: true }),
      ]);
      given(events)
        .when(record(cancel(1)))
        .thenThrows('ORDER_ALREADY_CANCELLED');
    });

    it('refuses a partial cancellation beyond what is left, naming what is left', () => {
      const events = historyOf(
        purchase('O-1', 1000),
        aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(600) }),
      );
      given(events)
        .when(record(aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(401) })))
        .thenThrows('CANCELLATION_EXCEEDS_PAYMENT');
      expect(() =>
        decide(
          record(aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(401) })),
          foldCustomer(events),
        ),
      ).toThrow('cancellation of 401 exceeds the 400 left of the 1000 paid for order O-1');
    });

    it('cancels what is left when no amount follows a partial cancellation', () => {
      const events = historyOf(
        purchase('O-1', 1000),
        aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(600) }),
        aTouchpoint('cancellation', { orderId: 'O-1' }),
      );
      expect(events[2].data).toMatchObject({ amount: eur(400), wholeOrder: true });
    });

    it('lets a stored cancellation of nothing (refused at the edge now) block no refund', () => {
      const [bought] = historyOf(purchase('O-1', 1000));
      const nothing = historyOf(aTouchpoint('purchase', { orderId: 'O-1', amount: eur(1000) }))[0];
      const zero: CustomerEvent = {
        type: 'OrderCancelled',
        data: {
          ...nothing.data,
          touchpointId: 'old-zero',
          orderId: 'O-1',
          amount: eur(0),
          wholeOrder: false,
        },
        metadata: nothing.metadata,
      } as CustomerEvent;
      const [refund] = decide(
        record(aTouchpoint('cancellation', { orderId: 'O-1', amount: eur(1000) })),
        foldCustomer([bought, zero]),
      );
      expect(refund.data).toMatchObject({ amount: eur(1000), wholeOrder: true });
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
