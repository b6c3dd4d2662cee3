import { eventIdFor } from '@rapport/domain';
import { given, only, purchase } from '../testing';

const rules = only('thankYou', { milestones: [3], largeOrderFactor: 3, largeOrderMinPrevious: 2 });

describe('thank-you', () => {
  it('when the first purchase is recorded, then one first-purchase thank-you is due at it', () => {
    const history = given(purchase('O-1', 4999, '2026-03-01T10:00:00Z'));
    const [signal, ...rest] = history.signals(rules, '2026-03-01T10:00:00Z');
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      rule: 'thank-you',
      trigger: 'first-purchase',
      subject: { kind: 'customer', id: 'C-1' },
      valueAtStake: { minor: 4999, currency: 'EUR' },
      dueAt: '2026-03-01T10:00:00Z',
      expiresAt: '2026-03-15T10:00:00.000Z',
      reason: 'First purchase: order O-1 of 49.99 EUR.',
    });
    const purchaseEvent = history.events[0];
    expect(signal.evidence.events).toEqual([
      {
        eventId: eventIdFor(purchaseEvent.metadata.source, purchaseEvent.data.touchpointId),
        type: 'PurchaseCompleted',
        occurredAt: '2026-03-01T10:00:00Z',
        position: '1',
      },
    ]);
  });

  it('when the n-th purchase is a milestone, then it earns a milestone thank-you', () => {
    const signals = given(
      purchase('O-1', 1000, '2026-03-01T10:00:00Z'),
      purchase('O-2', 1000, '2026-03-05T10:00:00Z'),
      purchase('O-3', 1000, '2026-03-09T10:00:00Z'),
    ).signals(rules, '2026-04-01T00:00:00Z');
    expect(signals.map((s) => s.trigger)).toEqual(['first-purchase', 'milestone']);
    expect(signals[1].evidence.figures.purchaseNumber).toBe(3);
  });

  it('when an order is at least the factor times the usual order value, then it is thanked', () => {
    const signals = given(
      purchase('O-1', 1000, '2026-03-01T10:00:00Z'),
      purchase('O-2', 1200, '2026-03-05T10:00:00Z'),
      purchase('O-3', 1100, '2026-03-07T10:00:00Z'),
      purchase('O-4', 3200, '2026-03-09T10:00:00Z'),
      purchase('O-5', 3299, '2026-03-10T10:00:00Z'),
    ).signals(
      only('thankYou', { milestones: [], largeOrderMinPrevious: 3 }),
      '2026-04-01T00:00:00Z',
    );
    // O-4: 3200 ≥ 3 × median(1000,1200,1100)=3300? No. O-5: median(1000,1200,1100,3200)=1150, 3299 < 3450: no.
    expect(signals.map((s) => s.trigger)).toEqual(['first-purchase']);
    const big = given(
      purchase('O-1', 1000, '2026-03-01T10:00:00Z'),
      purchase('O-2', 1200, '2026-03-05T10:00:00Z'),
      purchase('O-3', 1100, '2026-03-07T10:00:00Z'),
      purchase('O-4', 3300, '2026-03-09T10:00:00Z'),
    ).signals(
      only('thankYou', { milestones: [], largeOrderMinPrevious: 3 }),
      '2026-04-01T00:00:00Z',
    );
    expect(big.map((s) => s.trigger)).toEqual(['first-purchase', 'large-purchase']);
    expect(big[1].evidence.figures).toMatchObject({
      usualOrderMinor: 1100,
      ratio: 3,
      previousOrders: 3,
    });
    expect(big[1].reason).toContain('3 times the customer');
  });

  it('when the purchase is after asOf, then nothing is due yet', () => {
    expect(
      given(purchase('O-1', 1000, '2026-03-01T10:00:00Z')).signals(rules, '2026-02-01T00:00:00Z'),
    ).toEqual([]);
  });

  it('when the rule is switched off, then it fires nothing', () => {
    const off = { ...rules, thankYou: { ...rules.thankYou, enabled: false } };
    expect(
      given(purchase('O-1', 1000, '2026-03-01T10:00:00Z')).signals(off, '2026-04-01T00:00:00Z'),
    ).toEqual([]);
  });
});
