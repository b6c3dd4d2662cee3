import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CustomerEvent } from '@rapport/domain';
import { initialSignalFacts, type SignalFacts } from './signal-facts';
import { evolveSignalFacts } from './signal-facts.projection';

const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
})();

const CUSTOMERS = 2_000;
const PURCHASES_EACH = 20;

function purchase(customer: number, n: number): CustomerEvent {
  const occurredAt = new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString();
  return {
    type: 'PurchaseCompleted',
    data: {
      customerId: `C-${customer}`,
      touchpointId: `tp-${customer}-${n}`,
      occurredAt,
      channel: 'store',
      orderId: `O-${n}`,
      amount: { minor: 1_000 + n, currency: 'EUR' },
    },
    metadata: { schemaVersion: 1, source: 'pos', ingestedAt: occurredAt, correlationId: 'c' },
  };
}

describe('signal facts held by a read store', () => {
  // Every customer's record stays in the embedded store's heap, and every full collection
  // traces it: an event id kept as a rope of a dozen strings (as a template literal leaves it)
  // weighed ~270 bytes of the ~520 a purchase fact took here (now ~250).
  it('take under 350 bytes of heap a purchase fact, its event id, position and list slot included', () => {
    const held: SignalFacts[] = [];
    collectGarbage();
    const before = getHeapStatistics().used_heap_size;
    for (let customer = 0; customer < CUSTOMERS; customer += 1) {
      let facts = initialSignalFacts(`C-${customer}`);
      // One batch an event, as live: the lists copied each time, the copies garbage.
      for (let n = 0; n < PURCHASES_EACH; n += 1)
        facts = evolveSignalFacts(facts, [purchase(customer, n)], [BigInt(customer * 100 + n)]);
      held.push(facts);
    }
    collectGarbage();
    const perFact = (getHeapStatistics().used_heap_size - before) / (CUSTOMERS * PURCHASES_EACH);
    expect(held.every((facts) => facts.purchases.length === PURCHASES_EACH)).toBe(true);
    expect(perFact).toBeLessThan(350);
  });
});
