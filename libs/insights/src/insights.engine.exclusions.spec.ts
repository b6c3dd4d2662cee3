import { Logger } from '@nestjs/common';
import { aTouchpoint, historyOf } from '@rapport/domain/testing';
import { customerViewProjection, foldProjection, markedStale } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { InsightsEngine } from './insights.engine';

const settings = {
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 20,
} as const;
const asOf = '2026-11-01T00:00:00.000Z';

/**
 * Each purchase decided on its own, as events that reached the store past today's decider
 * would be (an older writer, a hand edit): the decider now refuses a total past 2^53.
 */
function viewOf(customerId: string, ...amounts: number[]) {
  return foldProjection(
    customerViewProjection,
    customerId,
    amounts.flatMap((minor, i) =>
      historyOf(
        aTouchpoint(
          'purchase',
          { orderId: `O-${customerId}-${i}`, amount: { minor, currency: 'EUR' } },
          { customerId, occurredAt: `2026-10-0${i + 1}T00:00:00.000Z` },
        ),
      ),
    ),
  );
}

describe('insights over a population with customers that cannot join it', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('when one customer has revenue past 2^53 and another is parked', () => {
    it('leaves both out, lists them with the reason, and computes everyone else', async () => {
      const store = new MemoryReadStore();
      const parked = markedStale(viewOf('C-parked', 500), {
        position: '7',
        eventType: 'PurchaseCompleted',
        error: "Cannot read properties of undefined (reading 'currency')",
        eventsNotApplied: 1,
      });
      const views = [
        viewOf('C-1', 1_000),
        viewOf('C-2', 3_000, 2_000),
        // Each amount is a safe integer; their sum is not.
        viewOf('C-huge', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        parked,
      ];
      await store.putMany(
        customerViewProjection.name,
        views.map((value, i) => ({ key: value.customerId, position: BigInt(i), value })),
      );

      const snapshot = await new InsightsEngine(store, settings).refresh(asOf);

      expect(snapshot.rows.map((row) => row.customerId)).toEqual(['C-2', 'C-1']);
      expect(snapshot.tiers.totalRevenueMinor).toBe(6_000);
      expect(snapshot.excluded).toEqual({
        count: 2,
        customers: [
          {
            customerId: 'C-huge',
            reason: expect.stringContaining('is not a safe integer of minor units') as unknown,
          },
          {
            customerId: 'C-parked',
            reason: expect.stringContaining(
              'parked: event PurchaseCompleted at position 7',
            ) as unknown,
          },
        ],
      });
    });
  });
});
