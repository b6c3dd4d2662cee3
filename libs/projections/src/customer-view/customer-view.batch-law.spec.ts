import fc from 'fast-check';
import { generateDemoHistory } from '@rapport/demo-data';
import { historyOf } from '@rapport/domain/testing';
import type { CustomerEvent } from '@rapport/domain';
import type { CustomerView } from './customer-view';
import { customerViewProjection, evolveCustomerView } from './customer-view.projection';

/** A year of one demo customer's touchpoints, recorded in time order as the decider would. */
function historyFor(seed: number): CustomerEvent[] {
  const touchpoints = [
    ...generateDemoHistory({ customers: 1, months: 12, seed, endAt: '2026-11-27T00:00:00.000Z' }),
  ].sort((x, y) => (x.occurredAt < y.occurredAt ? -1 : 1));
  return historyOf(...touchpoints.map((tp) => ({ ...tp, customerId: 'C-1' })));
}

/** Stored views are shared and frozen: a batch that changed its input would throw here. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const oneAtATime = (events: readonly CustomerEvent[]) =>
  events.reduce(
    (view, event) => deepFreeze(customerViewProjection.evolve(view, event)),
    deepFreeze(customerViewProjection.initialState('C-1')),
  );

describe('customer view: several events at once (evolveAll)', () => {
  it('equals applying them one at a time, however they are cut and in whatever order they arrive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.infiniteStream(fc.nat()),
        (seed, cuts, swaps) => {
          const events = historyFor(seed);
          // Late arrivals: neighbours swapped, so event time and arrival order disagree.
          const arrived = events.slice();
          for (let i = 1; i < arrived.length; i++) {
            if (swaps.next().value % 4 === 0)
              [arrived[i - 1], arrived[i]] = [arrived[i], arrived[i - 1]];
          }
          const points = [...new Set(cuts.map((c) => c % (arrived.length + 1)))].sort(
            (a, b) => a - b,
          );
          let view: CustomerView = deepFreeze(customerViewProjection.initialState('C-1'));
          let from = 0;
          for (const to of [...points, arrived.length]) {
            view = deepFreeze(evolveCustomerView(view, arrived.slice(from, to)));
            from = to;
          }
          expect(view).toEqual(oneAtATime(arrived));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns the view given when there is nothing to apply', () => {
    const view = deepFreeze(customerViewProjection.initialState('C-1'));
    expect(evolveCustomerView(view, [])).toBe(view);
  });
});
