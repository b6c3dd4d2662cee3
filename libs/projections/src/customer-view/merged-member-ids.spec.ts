import fc from 'fast-check';
import type { CustomerEvent, Touchpoint } from '@rapport/domain';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import type { CustomerView } from './customer-view';
import { evolveCustomerView, initialCustomerView } from './customer-view.projection';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00.000Z');
const dayAt = (day: number, customer: number) =>
  new Date(START + day * DAY_MS + customer * 60_000).toISOString();

/** A merged profile's view is folded from its members' events in global (here: time) order. */
function mergedView(survivor: string, histories: readonly CustomerEvent[][]): CustomerView {
  const events = histories.flat().sort((a, b) => (a.data.occurredAt < b.data.occurredAt ? -1 : 1));
  return evolveCustomerView(initialCustomerView(survivor), events);
}

const ownView = (customerId: string, events: readonly CustomerEvent[]) =>
  evolveCustomerView(initialCustomerView(customerId), events);

describe('customer view of a merged profile: members with the same order and complaint ids', () => {
  it("keeps a member's cancellation and resolution to that member's order and complaint", () => {
    const a = historyOf(
      aTouchpoint(
        'purchase',
        { orderId: 'O-1', amount: { minor: 10_000, currency: 'EUR' } },
        { customerId: 'C-A', occurredAt: dayAt(0, 0) },
      ),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-1', category: 'delivery' },
        { customerId: 'C-A', occurredAt: dayAt(1, 0) },
      ),
    );
    const b = historyOf(
      aTouchpoint(
        'purchase',
        { orderId: 'O-1', amount: { minor: 4_000, currency: 'EUR' } },
        { customerId: 'C-B', occurredAt: dayAt(0, 1) },
      ),
      aTouchpoint(
        'complaint',
        { complaintId: 'K-1', category: 'billing' },
        { customerId: 'C-B', occurredAt: dayAt(1, 1) },
      ),
      aTouchpoint(
        'cancellation',
        { orderId: 'O-1' },
        { customerId: 'C-B', occurredAt: dayAt(2, 1) },
      ),
      aTouchpoint(
        'complaint_resolved',
        { complaintId: 'K-1' },
        { customerId: 'C-B', occurredAt: dayAt(3, 1) },
      ),
    );

    const view = mergedView('C-A', [a, b]);

    expect(view.orders).toEqual([
      expect.objectContaining({ orderId: 'O-1', status: 'completed', cancelledMinor: 0 }),
      expect.objectContaining({
        customerId: 'C-B',
        orderId: 'O-1',
        status: 'cancelled',
        cancelledMinor: 4_000,
      }),
    ]);
    expect(view.orders[0]).not.toHaveProperty('customerId');
    expect(view.orderCount).toBe(2);
    expect(view.grossRevenue).toEqual({ EUR: 14_000 });
    expect(view.netRevenue).toEqual({ EUR: 10_000 });
    expect(view.cancellations).toEqual([
      expect.objectContaining({ customerId: 'C-B', orderId: 'O-1' }),
    ]);
    expect(view.openComplaints).toEqual([
      { complaintId: 'K-1', category: 'delivery', raisedAt: dayAt(1, 0) },
    ]);
    expect(view.complaintHistory).toEqual([
      { complaintId: 'K-1', category: 'delivery', raisedAt: dayAt(1, 0) },
      {
        customerId: 'C-B',
        complaintId: 'K-1',
        category: 'billing',
        raisedAt: dayAt(1, 1),
        resolvedAt: dayAt(3, 1),
      },
    ]);
  });

  /** Each member orders O-1, O-2, … and may cancel some (whole or part) and raise/resolve K-n. */
  const memberHistory = fc.array(
    fc.record({
      minor: fc.integer({ min: 100, max: 100_000 }),
      cancel: fc.constantFrom('none', 'whole', 'part'),
      complaint: fc.constantFrom('none', 'open', 'resolved'),
    }),
    { maxLength: 6 },
  );

  it('counts and revenue equal the sum of its members’ own views, and each order keeps its own status', () => {
    fc.assert(
      fc.property(fc.array(memberHistory, { minLength: 2, maxLength: 4 }), (members) => {
        const ids = members.map((_, m) => `C-${m}`);
        const histories = members.map((orders, m) => {
          const touchpoints: Touchpoint[] = [];
          orders.forEach(({ minor, cancel, complaint }, n) => {
            const customerId = ids[m];
            const at = (step: number) => ({ customerId, occurredAt: dayAt(n * 4 + step, m) });
            const amount = { minor, currency: 'EUR' };
            touchpoints.push(aTouchpoint('purchase', { orderId: `O-${n}`, amount }, at(0)));
            if (cancel !== 'none')
              touchpoints.push(
                aTouchpoint(
                  'cancellation',
                  cancel === 'whole'
                    ? { orderId: `O-${n}` }
                    : { orderId: `O-${n}`, amount: { minor: minor >> 1, currency: 'EUR' } },
                  at(1),
                ),
              );
            if (complaint !== 'none')
              touchpoints.push(
                aTouchpoint('complaint', { complaintId: `K-${n}`, category: 'delivery' }, at(2)),
              );
            if (complaint === 'resolved')
              touchpoints.push(aTouchpoint('complaint_resolved', { complaintId: `K-${n}` }, at(3)));
          });
          return historyOf(...touchpoints);
        });
        const merged = mergedView(ids[0], histories);
        const own = histories.map((events, m) => ownView(ids[m], events));
        const sum = (of: (view: CustomerView) => number) =>
          own.reduce((total, view) => total + of(view), 0);

        expect(merged.orderCount).toBe(sum((v) => v.orderCount));
        expect(merged.cancellationCount).toBe(sum((v) => v.cancellationCount));
        expect(merged.grossRevenue.EUR ?? 0).toBe(sum((v) => v.grossRevenue.EUR ?? 0));
        expect(merged.netRevenue.EUR ?? 0).toBe(sum((v) => v.netRevenue.EUR ?? 0));
        expect(merged.openComplaints.length).toBe(sum((v) => v.openComplaints.length));
        const statuses = (orders: CustomerView['orders']) =>
          orders.map((o) => [o.orderId, o.status, o.cancelledMinor]);
        own.forEach((view, m) =>
          expect(
            statuses(merged.orders.filter((o) => (o.customerId ?? ids[0]) === ids[m])),
          ).toEqual(statuses(view.orders)),
        );
      }),
    );
  });
});
