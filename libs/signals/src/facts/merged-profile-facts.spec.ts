import { historyOf } from '@rapport/domain/testing';
import type { CustomerEvent } from '@rapport/domain';
import { foldProjection } from '@rapport/projections';
import { deriveSignals } from '../derive-signals';
import { trailingRevenue } from '../rules/rule-support';
import { cancellation, complaint, only, purchase, resolution } from '../testing/signal-fixtures';
import { signalFactsProjection } from './signal-facts.projection';

const at = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString();

/** The facts of profile C-A merged with C-B, folded from both streams in time order. */
function mergedFacts(...histories: CustomerEvent[][]) {
  const events = histories.flat().sort((x, y) => (x.data.occurredAt < y.data.occurredAt ? -1 : 1));
  return foldProjection(signalFactsProjection, 'C-A', events);
}

describe("signal facts of a merged profile whose members' ids collide", () => {
  const a = historyOf(purchase('O-1', 20_000, at(0), 'C-A'), complaint('K-1', at(1), 'C-A'));
  const b = historyOf(
    purchase('O-1', 5_000, at(2), 'C-B'),
    cancellation('O-1', at(3), 'C-B'),
    complaint('K-1', at(4), 'C-B'),
    resolution('K-1', at(5), 'C-B'),
  );

  it("keeps a member's resolution to that member's complaint", () => {
    const facts = mergedFacts(a, b);
    expect(facts.complaints).toEqual([
      expect.not.objectContaining({ resolvedAt: expect.anything() as unknown }),
      expect.objectContaining({ customerId: 'C-B', complaintId: 'K-1', resolvedAt: at(5) }),
    ]);
    expect(facts.complaints[0]).not.toHaveProperty('customerId');
  });

  it("takes a member's cancellation off that member's order only", () => {
    // B's O-1 was bought before the trailing year, A's inside it: B's cancellation is not A's.
    const boughtLongAgo = historyOf(
      purchase('O-1', 5_000, at(-400), 'C-B'),
      cancellation('O-1', at(3), 'C-B'),
    );
    expect(trailingRevenue(mergedFacts(a, boughtLongAgo), Date.parse(at(6)), 'EUR')).toEqual({
      minor: 20_000,
      currency: 'EUR',
    });
  });

  it('counts two members cancelling their "O-1" as two cancelled orders for the cancellation save', () => {
    const bothCancel = mergedFacts(
      historyOf(purchase('O-1', 20_000, at(0), 'C-A'), cancellation('O-1', at(1), 'C-A')),
      b,
    );
    const rules = only('cancellationSave', { minCancellations: 2, share: 0.8 });
    expect(deriveSignals(bothCancel, rules, at(6))).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining("2 of the customer's last 2 orders") as unknown,
      }),
    ]);
  });
});
