import fc from 'fast-check';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import type { CustomerEvent } from '@rapport/domain';
import { foldProjection } from '../projection';
import { customerViewProjection, RECENT_TOUCHPOINTS } from './customer-view.projection';

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const view = (events: CustomerEvent[]) => foldProjection(customerViewProjection, 'C-1', events);

describe('customer view projection', () => {
  describe('given purchases, a cancellation, visits and complaints', () => {
    const events = historyOf(
      aTouchpoint(
        'web_visit',
        { url: 'https://shop/a' },
        { occurredAt: '2026-01-05T09:00:00.000Z', source: 'web' },
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-1', amount: eur(5000), items: [{ sku: 'A', quantity: 2 }] },
        {
          occurredAt: '2026-01-06T10:00:00.000Z',
          channel: 'store',
          source: 'pos',
        },
      ),
      aTouchpoint(
        'purchase',
        { orderId: 'O-2', amount: eur(2000) },
        { occurredAt: '2026-02-01T10:00:00.000Z' },
      ),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-2', amount: eur(500) },
        { occurredAt: '2026-02-02T10:00:00.000Z' },
      ),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-1', category: 'delivery', severity: 'high' },
        {
          occurredAt: '2026-02-03T10:00:00.000Z',
          channel: 'phone',
        },
      ),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-2', category: 'billing' },
        { occurredAt: '2026-02-04T10:00:00.000Z' },
      ),
      aTouchpoint(
        'complaint_resolved',
        { complaintId: 'K-1' },
        { occurredAt: '2026-02-05T10:00:00.000Z' },
      ),
      // Arrives last but happened first: event time decides first seen.
      aTouchpoint(
        'email',
        { direction: 'outbound', action: 'opened' },
        { occurredAt: '2025-12-24T08:00:00.000Z', channel: 'email' },
      ),
    );

    it('then counts, revenue, orders and complaints follow the events', () => {
      expect(view(events)).toMatchObject({
        customerId: 'C-1',
        sources: ['pos', 'test', 'web'],
        firstSeenAt: '2025-12-24T08:00:00.000Z',
        // The resolution on 5 February was the business's step, not the customer's.
        lastSeenAt: '2026-02-04T10:00:00.000Z',
        lastContactedAt: '2026-02-05T10:00:00.000Z',
        touchpointCount: 8,
        countsByType: {
          web_visit: 1,
          purchase: 2,
          cancellation: 1,
          complaint: 2,
          complaint_resolved: 1,
          email: 1,
        },
        countsByChannel: { web: 5, store: 1, phone: 1, email: 1 },
        orderCount: 2,
        cancellationCount: 1,
        grossRevenue: { EUR: 7000 },
        netRevenue: { EUR: 6500 },
        complaintsRaised: 2,
        complaintsResolved: 1,
        openComplaints: [
          { complaintId: 'K-2', category: 'billing', raisedAt: '2026-02-04T10:00:00.000Z' },
        ],
        orders: [
          {
            orderId: 'O-1',
            status: 'completed',
            cancelledMinor: 0,
            itemCount: 2,
            channel: 'store',
          },
          { orderId: 'O-2', status: 'partially_cancelled', cancelledMinor: 500, itemCount: 0 },
        ],
      });
    });

    it('then the last touchpoint is the newest by event time, not by arrival', () => {
      const result = view(events);
      expect(result.lastTouchpoint).toMatchObject({
        type: 'complaint_resolved',
        occurredAt: '2026-02-05T10:00:00.000Z',
      });
      expect(result.recentTouchpoints.map((t) => t.occurredAt)).toEqual(
        [...result.recentTouchpoints.map((t) => t.occurredAt)].sort().reverse(),
      );
      expect(result.recentTouchpoints.at(-1)).toMatchObject({
        type: 'email',
        summary: 'email opened (outbound)',
      });
    });
  });

  it('keeps only the most recent touchpoints, newest first', () => {
    const visits = Array.from({ length: 30 }, (_, i) =>
      aTouchpoint(
        'web_visit',
        { url: `https://shop/${i}` },
        { occurredAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() },
      ),
    );
    const result = view(historyOf(...visits));
    expect(result.recentTouchpoints).toHaveLength(RECENT_TOUCHPOINTS);
    expect(result.recentTouchpoints[0].summary).toBe('visited https://shop/29');
    expect(result.touchpointCount).toBe(30);
  });

  it('cancels a whole order and formats money by currency exponent', () => {
    const result = view(
      historyOf(
        aTouchpoint('purchase', { orderId: 'O-9', amount: { minor: 1234, currency: 'JPY' } }),
        aTouchpoint('cancellation', { orderId: 'O-9' }),
      ),
    );
    expect(result.orders[0]).toMatchObject({ status: 'cancelled', cancelledMinor: 1234 });
    expect(result.netRevenue).toEqual({ JPY: 0 });
    expect(result.recentTouchpoints.map((t) => t.summary).sort()).toEqual([
      'cancelled O-9 1234 JPY',
      'purchase O-9 1234 JPY',
    ]);
  });

  it('takes several partial cancellations of one order off net revenue, once each', () => {
    const cancel = (minor?: number) =>
      aTouchpoint('cancellation', { orderId: 'O-1', ...(minor ? { amount: eur(minor) } : {}) });
    const buy = aTouchpoint('purchase', { orderId: 'O-1', amount: eur(1000) });
    const partly = view(historyOf(buy, cancel(600)));
    expect(partly.orders[0]).toMatchObject({ status: 'partially_cancelled', cancelledMinor: 600 });
    expect(partly.netRevenue).toEqual({ EUR: 400 });

    const whole = view(historyOf(buy, cancel(600), cancel(400)));
    expect(whole.orders[0]).toMatchObject({ status: 'cancelled', cancelledMinor: 1000 });
    expect(whole).toMatchObject({
      grossRevenue: { EUR: 1000 },
      netRevenue: { EUR: 0 },
      cancellationCount: 2,
      cancellationRate: 1,
      orderCount: 1,
    });
    expect(whole.cancellations.map((c) => c.amount)).toEqual([eur(600), eur(400)]);

    // No amount after a partial cancellation takes what was left, not the whole order again.
    const rest = view(historyOf(buy, cancel(250), cancel()));
    expect(rest.orders[0]).toMatchObject({ status: 'cancelled', cancelledMinor: 1000 });
    expect(rest.netRevenue).toEqual({ EUR: 0 });
  });

  it('gives the same view however the events are cut into batches (law)', () => {
    const events = historyOf(
      ...Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0
          ? aTouchpoint(
              'purchase',
              { orderId: `O-${i}`, amount: eur(100 * i + 1) },
              { occurredAt: `2026-03-${String(i + 1).padStart(2, '0')}T00:00:00.000Z` },
            )
          : aTouchpoint(
              'web_visit',
              { url: `https://x/${i}` },
              { occurredAt: `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00.000Z` },
            ),
      ),
    );
    const whole = view(events);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: events.length }), { maxLength: 6 }),
        (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          let state = customerViewProjection.initialState('C-1');
          let from = 0;
          for (const to of [...points, events.length]) {
            // A batch boundary is a serialise/deserialise round trip through the read store.
            state = JSON.parse(
              JSON.stringify(
                foldProjection(customerViewProjection, 'C-1', events.slice(from, to), state),
              ),
            );
            from = to;
          }
          expect(state).toEqual(whole);
        },
      ),
    );
  });
});

describe('customer view facts for analytics', () => {
  const buy = (
    orderId: string,
    minor: number,
    occurredAt: string,
    channel: 'store' | 'web' = 'store',
  ) => aTouchpoint('purchase', { orderId, amount: eur(minor) }, { occurredAt, channel });

  it('computes purchase gaps in event-time order even when purchases arrive out of order', () => {
    const result = view(
      historyOf(
        buy('O-3', 300, '2026-03-01T10:00:00.000Z'),
        buy('O-1', 100, '2026-01-01T10:00:00.000Z', 'web'),
        buy('O-2', 200, '2026-01-11T10:00:00.000Z'),
        // Same day as O-2: one purchase occasion, no zero gap.
        buy('O-4', 400, '2026-01-11T18:00:00.000Z'),
      ),
    );
    expect(result.purchaseGaps).toEqual({
      count: 2,
      medianDays: 29.5,
      meanDays: 29.5,
      minDays: 10,
      maxDays: 49,
    });
    expect(result.averageOrderValue).toEqual({ EUR: 250 });
    expect(result.channelsUsed).toEqual(['store', 'web']);
  });

  it('keeps cancellations, complaint history and daily activity for any as-of date', () => {
    const result = view(
      historyOf(
        buy('O-1', 1000, '2026-01-01T10:00:00.000Z'),
        buy('O-2', 1000, '2026-01-05T10:00:00.000Z'),
        aTouchpoint('cancellation', { orderId: 'O-1' }, { occurredAt: '2026-01-02T10:00:00.000Z' }),
        aTouchpoint(
          'complaint',
          { complaintId: 'K-1', category: 'late' },
          { occurredAt: '2026-01-05T11:00:00.000Z' },
        ),
        aTouchpoint(
          'complaint_resolved',
          { complaintId: 'K-1' },
          { occurredAt: '2026-01-09T11:00:00.000Z' },
        ),
      ),
    );
    expect(result.cancellationRate).toBe(0.5);
    expect(result.cancellations).toEqual([
      { orderId: 'O-1', occurredAt: '2026-01-02T10:00:00.000Z', amount: eur(1000) },
    ]);
    expect(result.complaintHistory).toEqual([
      {
        complaintId: 'K-1',
        category: 'late',
        raisedAt: '2026-01-05T11:00:00.000Z',
        resolvedAt: '2026-01-09T11:00:00.000Z',
      },
    ]);
    // The resolution on 9 January is the business's step: no activity of the customer's.
    expect(result.activityByDay).toEqual([
      ['2026-01-01', 1],
      ['2026-01-02', 1],
      ['2026-01-05', 2],
    ]);
  });

  it('counts touchpoints per day in day order, whatever order they arrive in', () => {
    const visit = (occurredAt: string) => aTouchpoint('web_visit', { url: '/a' }, { occurredAt });
    const result = view(
      historyOf(
        visit('2026-01-05T09:00:00.000Z'),
        visit('2026-01-02T23:59:59.999Z'),
        visit('2026-01-05T00:00:00.000Z'),
        visit('2026-01-03T12:00:00.000Z'),
        visit('2026-01-06T08:00:00.000Z'),
        visit('2026-01-02T00:00:00.000Z'),
      ),
    );
    expect(result.activityByDay).toEqual([
      ['2026-01-02', 2],
      ['2026-01-03', 1],
      ['2026-01-05', 2],
      ['2026-01-06', 1],
    ]);
  });

  describe("when the business contacts the customer more recently than the customer's own step", () => {
    // The demo's 13,097 customers "last seen" at one campaign email's sending.
    const email = (direction: 'inbound' | 'outbound', action: string, occurredAt: string) =>
      aTouchpoint('email', { direction, action } as never, { occurredAt, channel: 'email' });
    const call = (direction: 'inbound' | 'outbound', occurredAt: string) =>
      aTouchpoint('call', { direction, durationSeconds: 60 }, { occurredAt, channel: 'phone' });
    const result = view(
      historyOf(
        aTouchpoint('web_visit', { url: '/a' }, { occurredAt: '2026-03-01T09:00:00.000Z' }),
        email('outbound', 'opened', '2026-03-02T09:00:00.000Z'),
        call('inbound', '2026-03-03T09:00:00.000Z'),
        email('inbound', 'sent', '2026-03-04T09:00:00.000Z'),
        email('inbound', 'replied', '2026-03-05T09:00:00.000Z'),
        call('outbound', '2026-03-06T09:00:00.000Z'),
        email('outbound', 'sent', '2026-03-07T09:00:00.000Z'),
      ),
    );

    it("keeps last seen at the customer's own latest step, and the contact apart", () => {
      expect(result.lastSeenAt).toBe('2026-03-04T09:00:00.000Z');
      expect(result.lastContactedAt).toBe('2026-03-07T09:00:00.000Z');
    });

    it("counts only the customer's own steps as activity", () => {
      expect(result.activityByDay).toEqual([
        ['2026-03-01', 1],
        ['2026-03-02', 1],
        ['2026-03-03', 1],
        ['2026-03-04', 1],
      ]);
      expect(result.touchpointCount).toBe(7);
    });

    it('leaves last seen null for a customer only ever contacted', () => {
      const contacted = view(historyOf(email('outbound', 'sent', '2026-03-07T09:00:00.000Z')));
      expect(contacted).toMatchObject({
        firstSeenAt: '2026-03-07T09:00:00.000Z',
        lastSeenAt: null,
        lastContactedAt: '2026-03-07T09:00:00.000Z',
        activityByDay: [],
      });
    });
  });
});
