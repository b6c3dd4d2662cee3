import { cancellation, given, only, purchase } from '../testing';

const rules = only('cancellationSave', { recentOrders: 4, share: 0.5, minCancellations: 2 });

describe('cancellation-save', () => {
  it('when cancellations reach the share of recent orders, then one save signal at the cancellation that got there', () => {
    const history = given(
      purchase('O-1', 1000, '2026-03-01T10:00:00Z'),
      purchase('O-2', 2000, '2026-03-02T10:00:00Z'),
      purchase('O-3', 3000, '2026-03-03T10:00:00Z'),
      purchase('O-4', 4000, '2026-03-04T10:00:00Z'),
      cancellation('O-2', '2026-03-05T10:00:00Z'),
      cancellation('O-3', '2026-03-06T10:00:00Z'),
      cancellation('O-4', '2026-03-07T10:00:00Z'),
    );
    const signals = history.signals(rules, '2026-04-01T00:00:00Z');
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      rule: 'cancellation-save',
      dueAt: '2026-03-06T10:00:00Z',
      valueAtStake: { minor: 5000, currency: 'EUR' },
      reason: "2 of the customer's last 4 orders are cancelled (50 %), 50.00 EUR in all.",
    });
    expect(signals[0].evidence.events.map((e) => e.type)).toEqual([
      'OrderCancelled',
      'OrderCancelled',
    ]);
    expect(signals[0].evidence.figures).toMatchObject({
      cancelledOrders: 2,
      recentOrders: 4,
      share: 0.5,
    });
  });

  it('when one cancellation is below the minimum count, then nothing fires even at a high share', () => {
    const signals = given(
      purchase('O-1', 1000, '2026-03-01T10:00:00Z'),
      cancellation('O-1', '2026-03-05T10:00:00Z'),
    ).signals(rules, '2026-04-01T00:00:00Z');
    expect(signals).toEqual([]);
  });

  it('when the share drops below and reaches it again, then it fires again for the new cancellation', () => {
    const signals = given(
      purchase('O-1', 1000, '2026-03-01T10:00:00Z'),
      purchase('O-2', 1000, '2026-03-02T10:00:00Z'),
      cancellation('O-1', '2026-03-03T10:00:00Z'),
      cancellation('O-2', '2026-03-04T10:00:00Z'),
      purchase('O-3', 1000, '2026-03-05T10:00:00Z'),
      purchase('O-4', 1000, '2026-03-06T10:00:00Z'),
      purchase('O-5', 1000, '2026-03-07T10:00:00Z'),
      purchase('O-6', 1000, '2026-03-08T10:00:00Z'),
      cancellation('O-5', '2026-03-09T10:00:00Z'),
      cancellation('O-6', '2026-03-10T10:00:00Z'),
    ).signals(rules, '2026-04-01T00:00:00Z');
    expect(signals.map((s) => s.dueAt)).toEqual(['2026-03-04T10:00:00Z', '2026-03-10T10:00:00Z']);
  });
});
