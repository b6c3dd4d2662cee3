import { computeParetoTiers } from '@rapport/analytics';
import {
  decide,
  evolve,
  foldCustomer,
  recordTouchpoint,
  type CustomerEvent,
  type Touchpoint,
} from '@rapport/domain';
import { generateDemoHistory } from './demo-history';

const options = { customers: 400, months: 24, seed: 7, endAt: '2026-11-27T00:00:00.000Z' };
const history = [...generateDemoHistory(options)];

describe('demo history', () => {
  it('is the same, byte for byte, for the same seed and different for another', () => {
    // Fewer customers than the other cases need: determinism does not depend on the size.
    const small = { ...options, customers: 60 };
    const once = JSON.stringify([...generateDemoHistory(small)]);
    expect(JSON.stringify([...generateDemoHistory(small)])).toBe(once);
    expect(JSON.stringify([...generateDemoHistory({ ...small, seed: 8 })])).not.toBe(once);
  });

  it('keeps each customer in event-time order and inside the window', () => {
    const last = new Map<string, string>();
    const outOfOrder = history.filter((tp) => {
      const wrong =
        tp.occurredAt > options.endAt || tp.occurredAt < (last.get(tp.customerId) ?? '');
      last.set(tp.customerId, tp.occurredAt);
      return wrong;
    });
    expect(outOfOrder).toEqual([]);
    expect(last.size).toBe(options.customers);
  });

  it('breaks no business rule: the decider records every touchpoint once', () => {
    const byCustomer = new Map<string, Touchpoint[]>();
    for (const tp of history) {
      const list = byCustomer.get(tp.customerId);
      if (list) list.push(tp);
      else byCustomer.set(tp.customerId, [tp]);
    }
    let recorded = 0;
    for (const touchpoints of byCustomer.values()) {
      let state = foldCustomer([]);
      for (const tp of touchpoints) {
        const decided: CustomerEvent[] = decide(recordTouchpoint(tp, options.endAt, 'demo'), state);
        state = decided.reduce(evolve, state);
        recorded += decided.length;
      }
    }
    expect(recorded).toBe(history.length);
  });

  it('has every kind of touchpoint and a heavy-tailed revenue', () => {
    const types = new Set(history.map((tp) => tp.type));
    expect([...types].sort()).toEqual([
      'call',
      'cancellation',
      'complaint',
      'complaint_resolved',
      'email',
      'purchase',
      'web_visit',
    ]);
    const revenue = new Map<string, number>();
    for (const tp of history) {
      if (tp.type === 'purchase')
        revenue.set(tp.customerId, (revenue.get(tp.customerId) ?? 0) + tp.data.amount.minor);
    }
    const report = computeParetoTiers(
      [...revenue].map(([customerId, revenueMinor]) => ({ customerId, revenueMinor })),
    );
    // A minority brings most revenue, but it is not forced to be exactly 80/20.
    expect(report.tierACustomerShare).toBeLessThan(0.45);
    expect(report.gini).toBeGreaterThan(0.4);
  });
});
